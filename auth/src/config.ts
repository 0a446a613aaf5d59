import { positiveIntegerFromEnv } from '@ticketing/common';

/** How much each client address and each account may ask of auth; set per deployment through the environment. */
export interface AuthLimits {
  /** Sign-ups per client address per hour (SIGNUP_RATE_LIMIT). */
  signupsPerAddress: number;
  /** Failed sign-ins per client address per 15 minutes (SIGNIN_RATE_LIMIT). */
  failedSigninsPerAddress: number;
  /** Failed sign-ins per account before it is refused for a short, doubling while (SIGNIN_ACCOUNT_LIMIT). */
  failedSigninsPerAccount: number;
}

export const limitsFromEnv = (env: NodeJS.ProcessEnv = process.env): AuthLimits => ({
  signupsPerAddress: positiveIntegerFromEnv('SIGNUP_RATE_LIMIT', 20, env),
  failedSigninsPerAddress: positiveIntegerFromEnv('SIGNIN_RATE_LIMIT', 10, env),
  failedSigninsPerAccount: positiveIntegerFromEnv('SIGNIN_ACCOUNT_LIMIT', 5, env),
});
