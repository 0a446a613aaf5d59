import { rateLimit, type Store } from 'express-rate-limit';
import { TooManyRequestsError } from '@ticketing/common';

const FIFTEEN_MINUTES = 15 * 60 * 1000;
const ONE_HOUR = 60 * 60 * 1000;

interface AddressLimit {
  /** Requests per client (IP) in the window before 429. */
  limit: number;
  windowMs: number;
  store: Store;
  /** The 429's error message. */
  message: string;
  /** Count only the requests that fail (a status of 400 or more). */
  failuresOnly?: boolean;
}

/** Requests per client (IP) in a window, counted in `store` (shared by every replica); over the limit, a 429. */
const addressRateLimit = ({ limit, windowMs, store, message, failuresOnly = false }: AddressLimit) =>
  rateLimit({
    store,
    windowMs,
    limit,
    skipSuccessfulRequests: failuresOnly,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: () => {
      throw new TooManyRequestsError(message);
    },
  });

/** Failed sign-ins per client (IP) in a 15-minute window before 429; successful ones do not count. */
export const signinRateLimit = (limit: number, store: Store) =>
  addressRateLimit({
    limit,
    windowMs: FIFTEEN_MINUTES,
    store,
    message: 'Too many sign-in attempts, try again in 15 minutes',
    failuresOnly: true,
  });

/**
 * Sign-ups per client (IP) in an hour before 429. Each new account costs a
 * scrypt hash; rejected attempts count too, since each one can probe whether an
 * email is in use.
 */
export const signupRateLimit = (limit: number, store: Store) =>
  addressRateLimit({ limit, windowMs: ONE_HOUR, store, message: 'Too many sign-ups from this address, try again later' });
