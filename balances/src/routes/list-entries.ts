import express, { Request, Response } from 'express';
import { matchedData, query } from 'express-validator';
import { requireAuth, signedInUser, validateRequest } from '@ticketing/common';
import { Entry, EntryFields, entryView } from '../models/entry';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const router = express.Router();

// A repeated parameter arrives as an array, which would otherwise be checked element by element.
const pageQuery = [
  query('limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .optional()
    .not()
    .isArray()
    .bail()
    .isInt({ min: 1, max: MAX_PAGE_SIZE })
    .toInt(),
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
