import express, { Request, Response } from 'express';
import { body } from 'express-validator';
import {
  BadRequestError,
  isDuplicateKey,
  NotAuthorizedError,
  NotFoundError,
  OrderStatus,
  outboxEntry,
  requireAuth,
  signedInUser,
  Subjects,
  validateRequest,
} from '@ticketing/common';
import { Order, OrderAttrs } from '../models/order';
import { ABANDONED_CLAIM_MS, Payment, paymentOutbox, PaymentDoc, PaymentStatus } from '../models/payment';
import { chargeOrder } from '../services/charge';
import { refundPayment } from '../services/refund';

const router = express.Router();

/** The caller's order, as long as it can still be paid for. */
const payableOrder = async (orderId: string, userId: string): Promise<OrderAttrs> => {
  const order = await Order.findById(orderId).lean<OrderAttrs>();
  if (!order) throw new NotFoundError();
  if (order.userId !== userId) throw new NotAuthorizedError();
  if (order.status === OrderStatus.Cancelled) throw new BadRequestError('Cannot pay for a cancelled order');
  return order;
};

/** Claims the order's one payment: a new claim, or the claim of a request that died while charging. */
const claimPayment = async (orderId: string): Promise<PaymentDoc> => {
  try {
    return await Payment.create({ orderId, status: PaymentStatus.Pending, claimedAt: new Date() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  return takeOverAbandonedClaim(orderId);
};

/** Older than any charge can run; claims made before claimedAt existed date from their id. */
const isAbandoned = (claim: PaymentDoc) =>
  Date.now() - (claim.claimedAt ?? claim._id.getTimestamp()).getTime() > ABANDONED_CLAIM_MS;

/**
 * Takes over the order's pending claim once it is abandoned. The claim keeps its id, and so its
 * idempotency key: Stripe answers with the charge the dead request made, or makes it now.
 */
const takeOverAbandonedClaim = async (orderId: string): Promise<PaymentDoc> => {
  const claim = await Payment.findOne({ orderId });
  if (claim && claim.status !== PaymentStatus.Pending) throw new BadRequestError('Order already paid');
  if (!claim || !isAbandoned(claim)) throw new BadRequestError('Payment already in progress');
  // A compare-and-set on the claim time read: of racing requests, one takes the claim.
  const taken = await Payment.findOneAndUpdate(
    { _id: claim._id, status: PaymentStatus.Pending, claimedAt: claim.claimedAt ?? null },
    { $set: { claimedAt: new Date() } },
    { returnDocument: 'after' },
  );
  if (!taken) throw new BadRequestError('Payment already in progress');
  return taken;
};

/** Charges the order, or gives the claim back, unless it was taken over meanwhile, so that the payer can try again. */
const chargeOrRelease = async (payment: PaymentDoc, order: OrderAttrs, token: string): Promise<string> => {
  try {
    return await chargeOrder(String(payment.orderId), String(payment._id), order.price, token);
  } catch (err) {
    // Only a payer error (declined card, bad token) proves nothing was charged. After a timeout or a
    // Stripe outage the claim stays, so whoever takes it over retries with the same idempotency key.
    if (err instanceof BadRequestError) {
      await Payment.deleteOne({ _id: payment._id, status: PaymentStatus.Pending, claimedAt: payment.claimedAt });
    }
    throw err;
  }
};

/** The charge and its payment:created event, stored in one write, once however many requests made the charge. */
const recordCharge = (payment: PaymentDoc, stripeId: string) => {
  const event = outboxEntry(Subjects.PaymentCreated, { id: String(payment._id), orderId: String(payment.orderId), stripeId });
  return Payment.updateOne(
    { _id: payment._id, status: PaymentStatus.Pending },
    { $set: { stripeId, status: PaymentStatus.Succeeded }, $push: { outbox: event } },
  );
};

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
    const order = await payableOrder(orderId, signedInUser(req).id);
    const payment = await claimPayment(orderId);
    const stripeId = await chargeOrRelease(payment, order, token);
    await recordCharge(payment, stripeId);
    paymentOutbox.kick(payment._id);

    // The order may have expired while the charge was in flight; a later cancellation is the listener's to refund.
    if (await Order.exists({ _id: orderId, status: OrderStatus.Cancelled })) {
      await refundPayment(orderId);
      throw new BadRequestError('Order was cancelled while paying; the charge was refunded');
    }
    res.status(201).send({ id: String(payment._id) });
  },
);

export { router as createPaymentRouter };
