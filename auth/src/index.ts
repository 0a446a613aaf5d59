import { runService } from '@ticketing/common';
import { buildApp } from './app';
import { closeLimitsRedis, connectLimitsRedis } from './services/limits-redis';

const redis = connectLimitsRedis();

void runService({
  name: 'auth',
  app: buildApp({ redis }),
  env: ['JWT_KEY', 'REDIS_HOST'],
  mongo: true,
  eventBus: false,
  // The limits' Redis connection, closed last on shutdown.
  workers: [{ start: () => {}, stop: () => closeLimitsRedis(redis) }],
});
