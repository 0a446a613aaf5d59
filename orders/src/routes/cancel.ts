import express, { Request, Response } from 'express';
import { BadRequestError, CancelReason, objectIdParam, OrderStatus, requireAuth, retryOnConflict, signedInUser } from '@ticketing/common';
import { orderOutbox } from '../events/outbox';
import { Order } from '../models/order';
import { findOwnOrder } from '../services/own-order';
import { releaseUnits } from '../services/release-units';

const router = express.Router();

/** Cancels the caller's order and gives its units back; cancelling twice is fine, cancelling a paid order is not. */
router.delete('/api/orders/:id', requireAuth, objectIdParam('id'), async (req: Request<{ id: string }>, res: Response) => {
  const userId = signedInUser(req).id;

  const cancelled = await retryOnConflict(async () => {
    const order = await findOwnOrder(req.params.id, userId);
    if (order.status === OrderStatus.Complete) throw new BadRequestError('Cannot cancel an order that is paid');
    if (order.status === OrderStatus.Cancelled) return order;
    return Order.cancel(order, CancelReason.Buyer);
  });
  orderOutbox.kick(cancelled);
  await releaseUnits(cancelled);

  res.status(204).send();
});

export { router as cancelOrderRouter };
