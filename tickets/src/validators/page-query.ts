import { query } from 'express-validator';
import { pageLimit } from '@ticketing/common';

/** `limit` and `cursor` (a ticket id from X-Next-Cursor) of the routes that page through listings. */
export const pageQuery = () => [
  pageLimit(),
  query('cursor', 'cursor must be a ticket id from X-Next-Cursor').optional().not().isArray().bail().isMongoId(),
];
