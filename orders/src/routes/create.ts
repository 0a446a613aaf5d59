import express, { Request, Response } from 'express';
import { body } from 'express-validator';
import {
  BadRequestError,
  ForbiddenError,
  MAX_CHARGE_CENTS,
  NotFoundError,
  requireAuth,
  signedInUser,
  toCents,
  validateRequest,
  verifyAdmissionToken,
} from '@ticketing/common';
import { orderOutbox } from '../events/outbox';
import { Ticket, TicketDoc } from '../models/ticket';
import { placeOrder } from '../services/place-order';

export const MAX_ORDER_QUANTITY = 4;

export const TOTAL_OVER_CHARGE_LIMIT = `Order total exceeds the most a card can be charged ($${(MAX_CHARGE_CENTS / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })})`;

const router = express.Router();

const orderFields = [
  body('ticketId', 'ticketId must be a ticket id').isString().bail().isMongoId(),
  body('quantity', `quantity must be a whole number from 1 to ${MAX_ORDER_QUANTITY}`)
    .optional()
    .custom((quantity: unknown) => Number.isInteger(quantity) && (quantity as number) >= 1 && (quantity as number) <= MAX_ORDER_QUANTITY),
  body('admission', 'admission must be an admission token').optional().isString(),
];

/** The admission a waiting-room listing needs, checked by its signature alone: no call to the queue, no replica to lag. */
const admissionFor = (ticket: TicketDoc, userId: string, token: string | undefined) => {
  if (!ticket.waitingRoom) return undefined;
  const admission = token === undefined ? undefined : verifyAdmissionToken(token, { userId, ticketId: ticket.id });
  if (!admission) throw new ForbiddenError('Admission required');
  return admission;
};

router.post('/api/orders', requireAuth, orderFields, validateRequest, async (req: Request, res: Response) => {
  const { ticketId, quantity = 1, admission } = req.body as { ticketId: string; quantity?: number; admission?: string };
  const userId = signedInUser(req).id;
  const ticket = await Ticket.findById(ticketId);
  if (!ticket) throw new NotFoundError();
  if (ticket.userId === userId) throw new BadRequestError('You cannot buy your own ticket');
  if (ticket.onSaleAt && ticket.onSaleAt.getTime() > Date.now()) throw new BadRequestError('Not on sale yet');
  if (toCents(ticket.price) * quantity > MAX_CHARGE_CENTS) throw new BadRequestError(TOTAL_OVER_CHARGE_LIMIT);
  const admissionId = admissionFor(ticket, userId, admission)?.admissionId;

  const order = await placeOrder({ userId, ticket, quantity, admissionId });
  orderOutbox.kick(order);

  res.status(201).send(order);
});

export { router as createOrderRouter };
