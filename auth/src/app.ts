import mongoose from 'mongoose';
import { createApp } from '@ticketing/common';
import { AuthLimits, limitsFromEnv } from './limits';
import { currentUserRouter } from './routes/current-user';
import { signinRouter } from './routes/signin';
import { signoutRouter } from './routes/signout';
import { signupRouter } from './routes/signup';
import { AccountLockout, LOCKOUT_TIMING } from './services/account-lockout';
import { MemoryFailureStore } from './services/failure-store';

export interface AuthAppOptions {
  limits?: AuthLimits;
  /** The clock of the per-account lockout, which tests move by hand. */
  now?: () => number;
}

/** The auth app with limits of its own: each call counts from zero. */
export const buildApp = ({ limits = limitsFromEnv(), now = Date.now }: AuthAppOptions = {}) => {
  const lockout = new AccountLockout({ ...LOCKOUT_TIMING, threshold: limits.failedSigninsPerAccount }, new MemoryFailureStore(now), now);
  return createApp(
    [
      currentUserRouter,
      signinRouter({ failuresPerAddress: limits.failedSigninsPerAddress, lockout }),
      signoutRouter,
      signupRouter(limits.signupsPerAddress),
    ],
    { isReady: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected },
  );
};

export const app = buildApp();
