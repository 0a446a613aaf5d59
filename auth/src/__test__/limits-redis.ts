import { closeLimitsRedis, connectLimitsRedis } from '../services/limits-redis';

/** The test file's connection to the limits' Redis (REDIS_HOST), closed after its tests. */
export const limitsRedis = connectLimitsRedis();

afterAll(() => closeLimitsRedis(limitsRedis));
