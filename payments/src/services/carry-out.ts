import { OrderStatus } from '@ticketing/common';
import { Order, OrderFields } from '../models/order';
import { PaymentStatus } from '../models/payment';
import { sendCharge } from './charge';
import { markSent, recordCharge, recordFailure, StoredPayment } from './outcomes';
import { EXPIRY_GRACE_MS } from './pay-order';

/** Why an attempt that has not reached Stripe yet must not: its order ended while it waited in the queue. */
const reasonNotToCharge = async (payment: StoredPayment): Promise<string | undefined> => {
  const order = await Order.findById(payment.orderId).lean<OrderFields>();
  if (payment.orderCancelled || order?.status === OrderStatus.Cancelled) return 'The order was cancelled before it was charged';
  if (order && Date.now() > order.expiresAt.getTime() + EXPIRY_GRACE_MS) return 'The order expired before it was charged';
  return undefined;
};

/**
 * Takes a pending attempt to its outcome: charged (and recorded), or declined. An attempt that was
 * never sent is dropped if its order has ended; once sent, it is always resent with the same key and
 * parameters, since Stripe may have charged. Throws when Stripe cannot be reached, for a retry.
 */
export const carryOut = async (payment: StoredPayment): Promise<void> => {
  if (payment.status !== PaymentStatus.Pending) return;
  if (!payment.chargeSentAt) {
    const reason = await reasonNotToCharge(payment);
    if (reason) return recordFailure(payment, reason, true);
    if (!(await markSent(payment))) return;
  }
  const outcome = await sendCharge(payment.charge);
  if (outcome.charged) await recordCharge(payment, outcome.stripeId);
  else await recordFailure(payment, outcome.reason);
};
