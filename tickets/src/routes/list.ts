import express, { Request, Response } from 'express';
import { matchedData } from 'express-validator';
import { DEFAULT_PAGE_SIZE, validateRequest } from '@ticketing/common';
import { forSalePage } from '../models/ticket';
import { pageQuery } from '../validators/page-query';

const router = express.Router();

/** Listings with units for sale, newest first; `X-Next-Cursor` names where the next page starts, if there is one. */
router.get('/api/tickets', pageQuery(), validateRequest, async (req: Request, res: Response) => {
  const { limit = DEFAULT_PAGE_SIZE, cursor } = matchedData<{ limit?: number; cursor?: string }>(req, { locations: ['query'] });
  const found = await forSalePage(limit + 1, cursor);

  const page = found.slice(0, limit);
  if (found.length > limit) res.set('X-Next-Cursor', page[page.length - 1].id);
  res.send(page);
});

export { router as listTicketsRouter };
