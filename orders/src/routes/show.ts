import express, { Request, Response } from 'express';
import { objectIdParam, requireAuth, signedInUser } from '@ticketing/common';
import { findOwnOrder } from '../services/own-order';

const router = express.Router();

router.get('/api/orders/:id', requireAuth, objectIdParam('id'), async (req: Request<{ id: string }>, res: Response) => {
  const order = await findOwnOrder(req.params.id, signedInUser(req).id);
  res.send(await order.populate('ticket'));
});

export { router as showOrderRouter };
