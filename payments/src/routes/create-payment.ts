import express, { Request, Response } from 'express';
import { body } from 'express-validator';
import { requireAuth, signedInUser, validateRequest } from '@ticketing/common';
import { payOrder } from '../services/pay-order';

const router = express.Router();

router.post(
  '/api/payments',
  requireAuth,
  [
    body('orderId', 'A valid orderId is required').isString().bail().isMongoId(),
    body('token', 'A payment token is required').isString().bail().notEmpty(),
  ],
  validateRequest,
  async (req: Request, res: Response) => {
    const { orderId, token } = req.body as { orderId: string; token: string };
    const payment = await payOrder(orderId, signedInUser(req).id, token);
    res.status(201).send({ id: String(payment._id) });
  },
);

export { router as createPaymentRouter };
