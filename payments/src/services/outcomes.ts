import { outboxEntry, Subjects } from '@ticketing/common';
import { paymentOutbox } from '../events/outbox';
import { Payment, paymentAmount, PaymentStatus, type StoredPayment } from '../models/payment';
import { refunds } from './refund';

/** The attempt as it was read: a write matches only while it is still pending. */
const sameAttempt = (payment: StoredPayment) => ({ _id: payment._id, status: PaymentStatus.Pending, attempt: payment.attempt });

/**
 * The charge and its payment:created event, in one write, once however many workers made it. The
 * same write reads whether order:cancelled arrived meanwhile: then the refund is due at once.
 */
export const recordCharge = async (payment: StoredPayment, stripeId: string): Promise<void> => {
  const event = outboxEntry(Subjects.PaymentCreated, {
    id: String(payment._id),
    orderId: String(payment.orderId),
    stripeId,
    ...paymentAmount(payment),
    ...(payment.admissionId && { admissionId: payment.admissionId }),
  });
  const recorded = await Payment.findOneAndUpdate(
    sameAttempt(payment),
    { $set: { status: PaymentStatus.Succeeded, stripeId }, $push: { outbox: event } },
    { returnDocument: 'after' },
  ).lean<StoredPayment>();
  if (!recorded) return;
  paymentOutbox.kick(recorded);
  if (recorded.orderCancelled) refunds.kick(recorded);
};

/** A decline, final for this attempt, with its payment:failed event; the buyer may start another. */
export const recordFailure = async (payment: StoredPayment, reason: string, onlyIfUnsent = false): Promise<void> => {
  const event = outboxEntry(Subjects.PaymentFailed, { id: String(payment._id), orderId: String(payment.orderId), reason });
  const filter = onlyIfUnsent ? { ...sameAttempt(payment), chargeSentAt: { $exists: false } } : sameAttempt(payment);
  const recorded = await Payment.findOneAndUpdate(
    filter,
    { $set: { status: PaymentStatus.Failed, failureMessage: reason }, $push: { outbox: event } },
    { returnDocument: 'after' },
  ).lean<StoredPayment>();
  if (recorded) paymentOutbox.kick(recorded);
};

/** Marks the attempt as sent; false if it was resolved meanwhile. */
export const markSent = async (payment: StoredPayment): Promise<boolean> => {
  if (payment.chargeSentAt) return true;
  const result = await Payment.updateOne(sameAttempt(payment), { $set: { chargeSentAt: new Date() } });
  return result.matchedCount === 1;
};
