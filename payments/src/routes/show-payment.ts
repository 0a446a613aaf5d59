import express, { Request, Response } from 'express';
import mongoose from 'mongoose';
import { NotAuthorizedError, NotFoundError, requireAuth, signedInUser } from '@ticketing/common';
import { Payment, paymentView, type StoredPayment } from '../models/payment';

const router = express.Router();

router.get('/api/payments/:id', requireAuth, async (req: Request<{ id: string }>, res: Response) => {
  if (!mongoose.isValidObjectId(req.params.id)) throw new NotFoundError();
  const payment = await Payment.findById(req.params.id).lean<StoredPayment>();
  if (!payment) throw new NotFoundError();
  if (payment.userId !== signedInUser(req).id) throw new NotAuthorizedError();
  res.send(paymentView(payment));
});

export { router as showPaymentRouter };
