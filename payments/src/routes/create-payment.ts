import express, { Request, Response } from 'express';
import { body } from 'express-validator';
import { requireAuth, signedInUser, validateRequest } from '@ticketing/common';
import type { ChargeQueue } from '../workers/charge-queue';
import { payOrder } from '../services/pay-order';

/** Claims and queues the charge; the outcome is for GET /api/payments/:id. */
export const createPaymentRouter = (queue: ChargeQueue) =>
  express
    .Router()
    .post(
      '/api/payments',
      requireAuth,
      [
        body('orderId', 'A valid orderId is required').isString().bail().isMongoId(),
        body('token', 'A payment token is required').isString().bail().notEmpty(),
      ],
      validateRequest,
      async (req: Request, res: Response) => {
        const { orderId, token } = req.body as { orderId: string; token: string };
        const payment = await payOrder(queue, orderId, signedInUser(req).id, token);
        res.status(202).send({ id: String(payment._id), orderId, status: payment.status });
      },
    );
