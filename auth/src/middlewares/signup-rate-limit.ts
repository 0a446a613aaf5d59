import { rateLimit, type Store } from 'express-rate-limit';
import { TooManyRequestsError } from '@ticketing/common';

const ONE_HOUR = 60 * 60 * 1000;

/**
 * Sign-ups per client (IP) in an hour before 429. Each new account costs a
 * scrypt hash; rejected attempts count too, since each one can probe whether an
 * email is in use.
 */
export const signupRateLimit = (limit: number, store: Store) =>
  rateLimit({
    store,
    windowMs: ONE_HOUR,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: () => {
      throw new TooManyRequestsError('Too many sign-ups from this address, try again later');
    },
  });
