import express, { Request, Response } from 'express';
import { matchedData } from 'express-validator';
import { DEFAULT_PAGE_SIZE, requireAuth, signedInUser, validateRequest } from '@ticketing/common';
import { myListingsPage } from '../services/my-listings';
import { pageQuery } from '../validators/page-query';

const router = express.Router();

/** The caller's own listings, sold out or not, newest first, with units left, held and sold; paged like GET /api/tickets. */
router.get('/api/tickets/mine', requireAuth, pageQuery(), validateRequest, async (req: Request, res: Response) => {
  const { limit = DEFAULT_PAGE_SIZE, cursor } = matchedData<{ limit?: number; cursor?: string }>(req, { locations: ['query'] });
  const found = await myListingsPage(signedInUser(req).id, limit + 1, cursor);

  const page = found.slice(0, limit);
  if (found.length > limit) res.set('X-Next-Cursor', page[page.length - 1].id);
  res.send(page);
});

export { router as myListingsRouter };
