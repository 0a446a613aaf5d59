import express, { Request, Response } from 'express';
import {
  BadRequestError,
  NotAuthorizedError,
  NotFoundError,
  objectIdParam,
  requireAuth,
  retryOnConflict,
  signedInUser,
  validateRequest,
} from '@ticketing/common';
import { ticketOutbox } from '../events/outbox';
import { heldUnits, Ticket } from '../models/ticket';
import { listingOf, TicketInput, ticketFields } from '../validators/ticket-fields';
import { oneWriteAtATime } from '../models/listing-writes';

const router = express.Router();

router.put(
  '/api/tickets/:id',
  requireAuth,
  objectIdParam('id'),
  ticketFields(),
  validateRequest,
  async (req: Request<{ id: string }>, res: Response) => {
    const input = req.body as TicketInput;
    const userId = signedInUser(req).id;

    // A reservation may land between the read and the write; the next attempt then sees it.
    const ticket = await oneWriteAtATime(req.params.id, () =>
      retryOnConflict(async () => {
        const current = await Ticket.findById(req.params.id);
        if (!current) throw new NotFoundError();
        if (current.userId !== userId) throw new NotAuthorizedError();
        const listing = listingOf(input, current);
        const heldChanges = listing.price !== current.price || listing.quantity !== current.quantity;
        if (heldChanges && heldUnits(current) > 0) {
          throw new BadRequestError('Cannot change the price or quantity of a listing with units reserved or sold');
        }
        return Ticket.edit(current, listing);
      }),
    );
    ticketOutbox.kick(ticket);

    res.send(ticket);
  },
);

export { router as updateTicketRouter };
