import mongoose from 'mongoose';
import { createApp } from '@ticketing/common';
import { AuthLimits, limitsFromEnv } from './limits';
import { currentUserRouter } from './routes/current-user';
import { signinRouter } from './routes/signin';
import { signoutRouter } from './routes/signout';
import { signupRouter } from './routes/signup';

export interface AuthAppOptions {
  limits?: AuthLimits;
}

/** The auth app with limits of its own: each call counts from zero. */
export const buildApp = ({ limits = limitsFromEnv() }: AuthAppOptions = {}) =>
  createApp(
    [
      currentUserRouter,
      signinRouter(limits.failedSigninsPerAddress),
      signoutRouter,
      signupRouter(limits.signupsPerAddress),
    ],
    { isReady: () => mongoose.connection.readyState === 1 },
  );

export const app = buildApp();
