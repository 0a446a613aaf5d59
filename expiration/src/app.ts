import { createApp } from '@ticketing/common';
import type { ExpirationQueue } from './workers/expiration-queue';

/** No HTTP API: only the health endpoint, ready while the queue's Redis connection is. */
export const buildApp = (queue: ExpirationQueue) => createApp([], { isReady: () => queue.client.status === 'ready' });
