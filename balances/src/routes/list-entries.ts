import express, { Request, Response } from 'express';
import { matchedData, query } from 'express-validator';
import { DEFAULT_PAGE_SIZE, pageLimit, requireAuth, signedInUser, validateRequest } from '@ticketing/common';
import { Entry, EntryFields, entryView } from '../models/entry';

const router = express.Router();

const pageQuery = [
  pageLimit(),
  query('cursor', 'cursor must be an entry number from X-Next-Cursor').optional().not().isArray().bail().isInt({ min: 1 }).toInt(),
];

/** The signed-in seller's ledger, newest first; `X-Next-Cursor` names where the next page starts, if there is one. */
router.get('/api/balances/me/entries', requireAuth, pageQuery, validateRequest, async (req: Request, res: Response) => {
  const { limit = DEFAULT_PAGE_SIZE, cursor } = matchedData<{ limit?: number; cursor?: number }>(req, { locations: ['query'] });
  const found = await Entry.find({ sellerId: signedInUser(req).id, ...(cursor && { seq: { $lt: cursor } }) })
    .sort({ seq: -1 })
    .limit(limit + 1)
    .lean<EntryFields[]>();

  const page = found.slice(0, limit);
  if (found.length > limit) res.set('X-Next-Cursor', String(page[page.length - 1].seq));
  res.send(page.map(entryView));
});

export { router as listEntriesRouter };
