import { BadRequestError, isDuplicateKey, NotAuthorizedError, NotFoundError, OrderStatus, outboxEntry, Subjects } from '@ticketing/common';
import { paymentOutbox } from '../events/outbox';
import { Order, OrderFields } from '../models/order';
import { ABANDONED_CLAIM_MS, Payment, PaymentDoc, PaymentStatus } from '../models/payment';
import { chargeOrder } from './charge';
import { refundPayment } from './refund';

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

/** Claims the order's one payment: a new claim, or the claim of a request that died while charging. */
const claimPayment = async (orderId: string): Promise<PaymentDoc> => {
  try {
    return await Payment.create({ orderId, status: PaymentStatus.Pending, claimedAt: new Date() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  return takeOverAbandonedClaim(orderId);
};

const isAbandoned = (claim: PaymentDoc) => Date.now() - claim.claimedAt.getTime() > ABANDONED_CLAIM_MS;

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
    { _id: claim._id, status: PaymentStatus.Pending, claimedAt: claim.claimedAt },
    { $set: { claimedAt: new Date() } },
    { returnDocument: 'after' },
  );
  if (!taken) throw new BadRequestError('Payment already in progress');
  return taken;
};

/** Charges the order, or gives the claim back, unless it was taken over meanwhile, so that the payer can try again. */
const chargeOrRelease = async (payment: PaymentDoc, order: OrderFields, token: string): Promise<string> => {
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

/**
 * Charges the user's order once, however many requests race, and records the payment with its
 * payment:created event. A charge that lands after the order expired is refunded at once.
 */
export const payOrder = async (orderId: string, userId: string, token: string): Promise<PaymentDoc> => {
  const order = await payableOrder(orderId, userId);
  const payment = await claimPayment(orderId);
  const stripeId = await chargeOrRelease(payment, order, token);
  await recordCharge(payment, stripeId);
  paymentOutbox.kick(payment._id);

  // A later cancellation is the order:cancelled listener's to refund.
  if (await Order.exists({ _id: orderId, status: OrderStatus.Cancelled })) {
    await refundPayment(orderId);
    throw new BadRequestError('Order was cancelled while paying; the charge was refunded');
  }
  return payment;
};
