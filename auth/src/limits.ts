/** How much each client address and each account may ask of auth; set per deployment through the environment. */
export interface AuthLimits {
  /** Sign-ups per client address per hour (SIGNUP_RATE_LIMIT). */
  signupsPerAddress: number;
  /** Failed sign-ins per client address per 15 minutes (SIGNIN_RATE_LIMIT). */
  failedSigninsPerAddress: number;
  /** Failed sign-ins per account before it is refused for a short, doubling while (SIGNIN_ACCOUNT_LIMIT). */
  failedSigninsPerAccount: number;
}

const positiveInteger = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const configured = env[name];
  if (configured === undefined || configured === '') return fallback;
  const value = Number(configured);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, not "${configured}"`);
  return value;
};

export const limitsFromEnv = (env: NodeJS.ProcessEnv = process.env): AuthLimits => ({
  signupsPerAddress: positiveInteger(env, 'SIGNUP_RATE_LIMIT', 20),
  failedSigninsPerAddress: positiveInteger(env, 'SIGNIN_RATE_LIMIT', 10),
  failedSigninsPerAccount: positiveInteger(env, 'SIGNIN_ACCOUNT_LIMIT', 5),
});
