import type { NextFunction, Request, Response } from 'express';
import { TooManyRequestsError } from '@ticketing/common';
import type { AccountLockout } from '../services/account-lockout';

/**
 * Refuses a sign-in while its account is locked out, with Retry-After. Runs
 * after validation, which normalizes the email; unknown emails are counted
 * alike, so a 429 tells nothing about which accounts exist.
 */
export const accountLockout = (lockout: AccountLockout) => async (req: Request, res: Response, next: NextFunction) => {
  const refusal = await lockout.attempt((req.body as { email: string }).email);
  if (!refusal) return next();
  const seconds = Math.ceil(refusal.retryAfterMs / 1000);
  res.set('Retry-After', String(seconds));
  throw new TooManyRequestsError('Too many failed sign-ins for this account');
};
