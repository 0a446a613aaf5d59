import { Router } from 'express';
import { createApp } from '@ticketing/common';
import type { ExpirationQueue } from './queues/expiration-queue';

/** No HTTP API: only the health endpoint, ready while the queue's Redis connection is. */
export const buildApp = (queue: ExpirationQueue) =>
  // An empty router, because Express 5 rejects app.use([]).
  createApp([Router()], { isReady: () => queue.client.status === 'ready' });
