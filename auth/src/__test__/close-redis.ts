import { closeLimitsRedis } from '../services/limits-redis';

// The app's limits hold a Redis connection for the process; each test file closes its own.
afterAll(closeLimitsRedis);
