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

let shared: Redis | undefined;

/** The process's one connection, made when first asked for. */
export const limitsRedis = (): Redis => (shared ??= connectLimitsRedis());

export const closeLimitsRedis = async (): Promise<void> => {
  const redis = shared;
  shared = undefined;
  if (redis && redis.status !== 'end') await redis.quit().catch(() => redis.disconnect());
};
