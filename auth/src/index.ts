import { runService } from '@ticketing/common';
import { buildApp } from './app';
import { closeLimitsRedis } from './services/limits-redis';

void runService({
  name: 'auth',
  app: buildApp(),
  env: ['JWT_KEY', 'REDIS_HOST'],
  mongo: true,
  eventBus: false,
  // The limits' Redis connection, closed last on shutdown.
  workers: [{ start: () => {}, stop: closeLimitsRedis }],
});
