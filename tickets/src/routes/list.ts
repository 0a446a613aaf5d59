import express, { Request, Response } from 'express';
import { matchedData, query } from 'express-validator';
import { DEFAULT_PAGE_SIZE, pageLimit, validateRequest } from '@ticketing/common';
import { forSalePage } from '../models/ticket';

const router = express.Router();

const pageQuery = [
  pageLimit(),
  query('cursor', 'cursor must be a ticket id from X-Next-Cursor').optional().not().isArray().bail().isMongoId(),
];

/** Listings with units for sale, newest first; `X-Next-Cursor` names where the next page starts, if there is one. */
router.get('/api/tickets', pageQuery, validateRequest, async (req: Request, res: Response) => {
  const { limit = DEFAULT_PAGE_SIZE, cursor } = matchedData<{ limit?: number; cursor?: string }>(req, { locations: ['query'] });
  const found = await forSalePage(limit + 1, cursor);

  const page = found.slice(0, limit);
  if (found.length > limit) res.set('X-Next-Cursor', page[page.length - 1].id);
  res.send(page);
});

export { router as listTicketsRouter };
