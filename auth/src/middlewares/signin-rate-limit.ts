import { rateLimit, type Store } from 'express-rate-limit';
import { TooManyRequestsError } from '@ticketing/common';

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** Failed sign-ins per client (IP) in a 15-minute window before 429; successful ones do not count. */
export const signinRateLimit = (limit: number, store: Store) =>
  rateLimit({
    store,
    windowMs: FIFTEEN_MINUTES,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: () => {
      throw new TooManyRequestsError('Too many sign-in attempts, try again in 15 minutes');
    },
  });
