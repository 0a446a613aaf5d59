import { query } from 'express-validator';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=` of a paginated list, 1–100; a repeated parameter arrives as an array, which is refused rather than checked element by element. */
export const pageLimit = () =>
  query('limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .optional()
    .not()
    .isArray()
    .bail()
    .isInt({ min: 1, max: MAX_PAGE_SIZE })
    .toInt();
