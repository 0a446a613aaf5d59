import express, { Request, Response } from 'express';
import { requireAuth, signedInUser } from '@ticketing/common';
import { Order } from '../models/order';

const router = express.Router();

/** The caller's own orders, newest first, each with its ticket. */
router.get('/api/orders', requireAuth, async (req: Request, res: Response) => {
  const orders = await Order.find({ userId: signedInUser(req).id })
    .sort({ _id: -1 })
    .populate('ticket');
  res.send(orders);
});

export { router as listOrdersRouter };
