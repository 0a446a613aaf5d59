import express, { Request, Response } from 'express';
import { body } from 'express-validator';
import { BadRequestError, isDuplicateKey, NotFoundError, requireAuth, signedInUser, validateRequest } from '@ticketing/common';
import { orderOutbox } from '../events/outbox';
import { expiresAtFromNow } from '../expiration-window';
import { Order } from '../models/order';
import { Ticket } from '../models/ticket';

const router = express.Router();

router.post(
  '/api/orders',
  requireAuth,
  body('ticketId', 'ticketId must be a ticket id').isString().bail().isMongoId(),
  validateRequest,
  async (req: Request, res: Response) => {
    const { ticketId } = req.body as { ticketId: string };
    const userId = signedInUser(req).id;
    const ticket = await Ticket.findById(ticketId);
    if (!ticket) throw new NotFoundError();
    if (ticket.userId === userId) throw new BadRequestError('You cannot buy your own ticket');

    const order = Order.build({ userId, ticket, expiresAt: expiresAtFromNow() });
    try {
      await order.save();
    } catch (err) {
      // The unique ticket lock: another active or paid order holds this ticket.
      if (isDuplicateKey(err)) throw new BadRequestError('Ticket is already reserved');
      throw err;
    }
    orderOutbox.kick(order);

    res.status(201).send(order);
  },
);

export { router as createOrderRouter };
