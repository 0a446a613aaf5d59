import { createApp, upgradeRequired } from '@ticketing/common';
import type { QueueDeps } from './queue-deps';
import { joinRouter } from './routes/join';
import { meRouter } from './routes/me';
import { SOCKET_PATH } from './socket/queue-server';

export const buildApp = (deps: QueueDeps, isReady: () => boolean) =>
  createApp([joinRouter(deps), meRouter(deps), upgradeRequired(SOCKET_PATH)], { isReady });
