import mongoose from 'mongoose';
import { BadRequestError, isDuplicateKey, logger, NotAuthorizedError, NotFoundError, OrderStatus } from '@ticketing/common';
import { Order, OrderFields } from '../models/order';
import { ChargeRequest, Payment, PaymentStatus, type StoredPayment } from '../models/payment';
import { ChargeQueue, enqueueCharge } from '../workers/charge-queue';

/**
 * A payment that starts this soon after the order's expiresAt is still taken: the clocks of
 * the orders and payments hosts may differ by that much, and expiry itself takes a moment.
 */
export const EXPIRY_GRACE_MS = 5_000;

/** The caller's order, as long as it can still be paid for, even if its expiry was lost or is late. */
const payableOrder = async (orderId: string, userId: string): Promise<OrderFields> => {
  const order = await Order.findById(orderId).lean<OrderFields>();
  if (!order) throw new NotFoundError();
  if (order.userId !== userId) throw new NotAuthorizedError();
  if (order.status === OrderStatus.Cancelled) throw new BadRequestError('Cannot pay for a cancelled order');
  if (Date.now() > order.expiresAt.getTime() + EXPIRY_GRACE_MS) throw new BadRequestError('Cannot pay for an expired order');
  return order;
};

/** The request of one attempt chain: its own idempotency key, and the parameters every retry resends. */
export const chargeRequest = (orderId: string, paymentId: string, attempt: number, amountCents: number, token: string): ChargeRequest => ({
  idempotencyKey: `charge-${paymentId}-${attempt}`,
  amount: amountCents,
  currency: 'usd',
  source: token,
  metadata: { orderId, paymentId, attempt: String(attempt) },
});

/** The order's one payment, new, or its failed attempt renewed with another card; racing requests get a 400. */
const claimAttempt = async (orderId: string, userId: string, order: OrderFields, token: string): Promise<StoredPayment> => {
  const _id = new mongoose.Types.ObjectId();
  try {
    const created = await Payment.create({
      _id,
      orderId,
      userId,
      sellerId: order.sellerId,
      ...(order.admissionId && { admissionId: order.admissionId }),
      status: PaymentStatus.Pending,
      attempt: 1,
      charge: chargeRequest(orderId, String(_id), 1, order.totalCents, token),
      claimedAt: new Date(),
    });
    return created.toObject<StoredPayment>();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  return retryFailedAttempt(orderId, order, token);
};

/** After a decline the buyer may try another card: a new attempt, with a new key (a reused one would replay the decline). */
const retryFailedAttempt = async (orderId: string, order: OrderFields, token: string): Promise<StoredPayment> => {
  const payment = await Payment.findOne({ orderId }).lean<StoredPayment>();
  if (!payment || payment.status === PaymentStatus.Pending) throw new BadRequestError('Payment already in progress');
  if (payment.status !== PaymentStatus.Failed) throw new BadRequestError('Order already paid');
  const attempt = payment.attempt + 1;
  // A compare-and-set on the attempt read: of racing requests, one starts the next attempt.
  const renewed = await Payment.findOneAndUpdate(
    { _id: payment._id, status: PaymentStatus.Failed, attempt: payment.attempt },
    {
      $set: {
        status: PaymentStatus.Pending,
        attempt,
        charge: chargeRequest(orderId, String(payment._id), attempt, order.totalCents, token),
        claimedAt: new Date(),
      },
      $unset: { chargeSentAt: 1, failureMessage: 1 },
    },
    { returnDocument: 'after' },
  ).lean<StoredPayment>();
  if (!renewed) throw new BadRequestError('Payment already in progress');
  return renewed;
};

/**
 * Claims the user's order for one charge and queues it, without calling Stripe. If the queue cannot
 * take it, the claim stays pending and the reconciler charges it: the caller still gets its payment.
 */
export const payOrder = async (queue: ChargeQueue, orderId: string, userId: string, token: string): Promise<StoredPayment> => {
  const order = await payableOrder(orderId, userId);
  const payment = await claimAttempt(orderId, userId, order, token);
  try {
    await enqueueCharge(queue, String(payment._id), payment.attempt);
  } catch (err) {
    logger.error(`[payments] payment ${String(payment._id)}: could not queue its charge, the reconciler will: ${(err as Error).message}`);
  }
  return payment;
};
