import express, { Request, Response } from 'express';
import { requireAuth, signedInUser, validateRequest } from '@ticketing/common';
import { ticketOutbox } from '../events/outbox';
import { Ticket } from '../models/ticket';
import { listingOf, TicketInput, ticketFields } from '../validators/ticket-fields';

const router = express.Router();

router.post('/api/tickets', requireAuth, ticketFields(), validateRequest, async (req: Request, res: Response) => {
  const ticket = Ticket.build({ ...listingOf(req.body as TicketInput), userId: signedInUser(req).id });
  await ticket.save();
  ticketOutbox.kick(ticket);

  res.status(201).send(ticket);
});

export { router as createTicketRouter };
