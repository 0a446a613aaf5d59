import { OrderStatus } from '@ticketing/common';
import { Order, OrderFields } from '../models/order';
import { PaymentStatus, type StoredPayment } from '../models/payment';
import { lookUpCharge, RESEND_WINDOW_MS, sendCharge } from './charge';
import { markSent, recordCharge, recordFailure } from './outcomes';
import { EXPIRY_GRACE_MS } from './pay-order';

/** Why an attempt that has not reached Stripe yet must not: its order ended while it waited in the queue. */
const reasonNotToCharge = async (payment: StoredPayment): Promise<string | undefined> => {
  const order = await Order.findById(payment.orderId).lean<OrderFields>();
  if (payment.orderCancelled || order?.status === OrderStatus.Cancelled) return 'The order was cancelled before it was charged';
  if (order && Date.now() > order.expiresAt.getTime() + EXPIRY_GRACE_MS) return 'The order expired before it was charged';
  return undefined;
};

const sendAndRecord = async (payment: StoredPayment): Promise<void> => {
  const outcome = await sendCharge(payment.charge);
  if (outcome.charged) await recordCharge(payment, outcome.stripeId);
  else await recordFailure(payment, outcome.reason);
};

/**
 * An attempt sent longer ago than Stripe keeps its key: what Stripe made of it, looked up by its metadata.
 * Found, it is recorded as it is. Not found, Stripe never charged it, so it is resent (a first charge, under
 * a key Stripe no longer knows) only while its order is open, and fails as not charged otherwise.
 */
const resolveOutsideKeyWindow = async (payment: StoredPayment): Promise<void> => {
  const found = await lookUpCharge(payment.charge);
  if (found?.charged) return recordCharge(payment, found.stripeId);
  if (found) return recordFailure(payment, found.reason);
  const reason = await reasonNotToCharge(payment);
  if (reason) return recordFailure(payment, `${reason}; Stripe had no charge for it`);
  await sendAndRecord(payment);
};

const sentOutsideKeyWindow = (payment: StoredPayment) =>
  payment.chargeSentAt !== undefined && Date.now() - payment.chargeSentAt.getTime() > RESEND_WINDOW_MS;

/**
 * Takes a pending attempt to its outcome: charged (and recorded), or declined. An attempt that was
 * never sent is dropped if its order has ended; once sent, it is resent with the same key and
 * parameters, since Stripe may have charged (past the key's 24 hours, Stripe is asked first). Throws
 * when Stripe cannot be reached, for a retry.
 */
export const carryOut = async (payment: StoredPayment): Promise<void> => {
  if (payment.status !== PaymentStatus.Pending) return;
  if (sentOutsideKeyWindow(payment)) return resolveOutsideKeyWindow(payment);
  if (!payment.chargeSentAt) {
    const reason = await reasonNotToCharge(payment);
    if (reason) return recordFailure(payment, reason, true);
    if (!(await markSent(payment))) return;
  }
  await sendAndRecord(payment);
};
