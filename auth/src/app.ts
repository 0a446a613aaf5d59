import mongoose from 'mongoose';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { createApp } from '@ticketing/common';
import { AuthLimits, limitsFromEnv } from './config';
import { currentUserRouter } from './routes/current-user';
import { signinRouter } from './routes/signin';
import { signoutRouter } from './routes/signout';
import { signupRouter } from './routes/signup';
import { AccountLockout, LOCKOUT_TIMING } from './services/account-lockout';
import { RedisFailureStore } from './services/redis-failure-store';

export interface AuthAppOptions {
  limits?: AuthLimits;
  /** The clock of the per-account lockout, which tests move by hand. */
  now?: () => number;
  /** Where the limits count, shared by every replica (index.ts connects it: connectLimitsRedis). */
  redis: Redis;
  /** Prefix of the keys the limits count under; an app under a prefix of its own counts from zero. */
  keyPrefix?: string;
}

/** The auth app; its limits count in Redis, so that N replicas hold them as one. */
export const buildApp = ({ redis, limits = limitsFromEnv(), now = Date.now, keyPrefix = 'auth:' }: AuthAppOptions) => {
  const addressStore = (limit: string) =>
    new RedisStore({
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
      prefix: `${keyPrefix}${limit}:`,
    });
  const lockout = new AccountLockout(
    { ...LOCKOUT_TIMING, threshold: limits.failedSigninsPerAccount },
    new RedisFailureStore(redis, `${keyPrefix}signin-failures:`),
    now,
  );
  return createApp(
    [
      currentUserRouter,
      signinRouter({ failuresPerAddress: limits.failedSigninsPerAddress, addressStore: addressStore('signin-address'), lockout }),
      signoutRouter,
      signupRouter(limits.signupsPerAddress, addressStore('signup-address')),
    ],
    { isReady: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected && redis.status === 'ready' },
  );
};
