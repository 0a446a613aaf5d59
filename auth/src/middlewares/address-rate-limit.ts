import type { Request, Response, NextFunction } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { TooManyRequestsError } from '@ticketing/common';

const FIFTEEN_MINUTES = 15 * 60 * 1000;
const ONE_HOUR = 60 * 60 * 1000;

interface AddressLimit {
  /** Requests per client (IP) in the window before 429. */
  limit: number;
  windowMs: number;
  store: Store;
  /** What happens to a request over the limit (Retry-After is set already). */
  overLimit: (req: Request, res: Response, next: NextFunction) => void;
  /** Count only the requests that fail (a status of 400 or more). */
  failuresOnly?: boolean;
}

/** Requests per client (IP) in a window, counted in `store` (shared by every replica). */
const addressRateLimit = ({ limit, windowMs, store, overLimit, failuresOnly = false }: AddressLimit) =>
  rateLimit({
    store,
    windowMs,
    limit,
    skipSuccessfulRequests: failuresOnly,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: overLimit,
  });

const refuse = (message: string): never => {
  throw new TooManyRequestsError(message);
};

/** Whether this sign-in's client address is over its failures (set by `signinRateLimit`). */
export const addressOverSigninLimit = (res: Response): boolean => res.locals.addressOverSigninLimit === true;

/** Ends a sign-in whose password was wrong: a 429 while its address is over the limit. */
export const refuseIfAddressOverLimit = (res: Response): void => {
  if (addressOverSigninLimit(res)) refuse('Too many failed sign-ins from this address');
};

/**
 * Failed sign-ins per client (IP) in a 15-minute window; successful ones do
 * not count. Over the limit the password is still checked: a right one signs
 * in, a wrong one is a 429 (see design.md, "Sign-in limits"), so failures of
 * other accounts from a shared address never refuse the right password.
 */
export const signinRateLimit = (limit: number, store: Store) =>
  addressRateLimit({
    limit,
    windowMs: FIFTEEN_MINUTES,
    store,
    overLimit: (_req, res, next) => {
      res.locals.addressOverSigninLimit = true;
      next();
    },
    failuresOnly: true,
  });

/**
 * Sign-ups per client (IP) in an hour before 429. Each new account costs a
 * scrypt hash; rejected attempts count too, since each one can probe whether an
 * email is in use.
 */
export const signupRateLimit = (limit: number, store: Store) =>
  addressRateLimit({ limit, windowMs: ONE_HOUR, store, overLimit: () => refuse('Too many sign-ups from this address') });
