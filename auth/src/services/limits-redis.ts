import { Redis } from 'ioredis';
import { logger, redisFromEnv } from '@ticketing/common';

/**
 * The Redis that holds auth's limits, so that every replica counts against one total. A command
 * fails after one retry rather than holding a request while Redis is away.
 */
export const connectLimitsRedis = (env: NodeJS.ProcessEnv = process.env): Redis => {
  const redis = new Redis({
    ...redisFromEnv(env),
    maxRetriesPerRequest: 1,
  });
  // An EventEmitter without an 'error' listener would crash the process on a Redis hiccup.
  redis.on('error', (err: Error) => logger.error(`[auth] redis: ${err.message}`));
  return redis;
};

/** Closes it: QUIT, or a plain disconnect while Redis is away. */
export const closeLimitsRedis = async (redis: Redis): Promise<void> => {
  if (redis.status !== 'end') await redis.quit().catch(() => redis.disconnect());
};
