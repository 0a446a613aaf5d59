import express, { Request, Response } from 'express';
import { NotFoundError, objectIdParam } from '@ticketing/common';
import { ticketPage } from '../models/ticket';

const router = express.Router();

router.get('/api/tickets/:id', objectIdParam('id'), async (req: Request<{ id: string }>, res: Response) => {
  const ticket = await ticketPage(req.params.id);
  if (!ticket) throw new NotFoundError();

  res.send(ticket);
});

export { router as showTicketRouter };
