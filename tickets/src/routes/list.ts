import express, { Request, Response } from 'express';
import { matchedData, query } from 'express-validator';
import { validateRequest } from '@ticketing/common';
import { Ticket } from '../models/ticket';

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
  query('cursor', 'cursor must be a ticket id from X-Next-Cursor').optional().not().isArray().bail().isMongoId(),
];

/** Tickets for sale, newest first; `X-Next-Cursor` names where the next page starts, if there is one. */
router.get('/api/tickets', pageQuery, validateRequest, async (req: Request, res: Response) => {
  const { limit = DEFAULT_PAGE_SIZE, cursor } = matchedData<{ limit?: number; cursor?: string }>(req, { locations: ['query'] });
  const found = await Ticket.find({ orderId: { $exists: false }, ...(cursor && { _id: { $lt: cursor } }) })
    .sort({ _id: -1 })
    .limit(limit + 1);

  const page = found.slice(0, limit);
  if (found.length > limit) res.set('X-Next-Cursor', page[page.length - 1].id);
  res.send(page);
});

export { router as listTicketsRouter };
