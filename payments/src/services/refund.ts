import Stripe from 'stripe';
import { logger, outboxEntry, Subjects } from '@ticketing/common';
import { paymentOutbox } from '../events/outbox';
import { Payment, paymentAmount, PaymentStatus, type StoredPayment } from '../models/payment';
import { stripe } from '../stripe';

type RefundOutcome = { refunded: true } | { refunded: false; reason: string };

/** The charge is refunded already (an earlier try whose answer was lost, or the dashboard): the refund is done. */
const isAlreadyRefunded = (err: unknown): boolean => err instanceof Stripe.errors.StripeError && err.code === 'charge_already_refunded';

/** What Stripe answers to every resend (a disputed charge, say); rate limits and idempotency conflicts are other classes. */
const isRefusedForGood = (err: unknown): err is Stripe.errors.StripeError =>
  err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeCardError;

let refused = 0;

/** Refunds Stripe refused for good in this process since it started: /healthz shows it, so a monitor can alert on it. */
export const refusedRefundCount = (): number => refused;

const askStripeToRefund = async (payment: StoredPayment, stripeId: string): Promise<RefundOutcome> => {
  const id = String(payment._id);
  try {
    await stripe().refunds.create(
      { charge: stripeId, metadata: { orderId: String(payment.orderId), paymentId: id } },
      { idempotencyKey: `refund-${id}` },
    );
    return { refunded: true };
  } catch (err) {
    if (isAlreadyRefunded(err)) return { refunded: true };
    if (isRefusedForGood(err)) return { refunded: false, reason: `${err.code ?? err.type}: ${err.message}` };
    throw err;
  }
};

const recordRefund = async (payment: StoredPayment, stripeId: string): Promise<void> => {
  const event = outboxEntry(Subjects.PaymentRefunded, {
    id: String(payment._id),
    orderId: String(payment.orderId),
    stripeId,
    ...paymentAmount(payment),
  });
  const recorded = await Payment.findOneAndUpdate(
    { _id: payment._id, status: PaymentStatus.Succeeded },
    { $set: { status: PaymentStatus.Refunded }, $push: { outbox: event } },
    { returnDocument: 'after' },
  ).lean<StoredPayment>();
  if (recorded) paymentOutbox.kick(recorded);
};

/** A refund Stripe will never make: stored as final, so that no pass retries it, counted and logged for a person. */
const recordRefusal = async (payment: StoredPayment, reason: string): Promise<void> => {
  const recorded = await Payment.findOneAndUpdate(
    { _id: payment._id, status: PaymentStatus.Succeeded },
    { $set: { status: PaymentStatus.RefundFailed, refundFailureReason: reason } },
  );
  if (!recorded) return;
  refused += 1;
  logger.error(`[payments] Stripe refuses for good to refund payment ${String(payment._id)} (charge ${payment.stripeId}): ${reason}`);
};

/**
 * Refunds a payment whose refund is due (succeeded, its order cancelled) and records it with its
 * payment:refunded event once Stripe confirms, or as refundFailed when Stripe refuses for good.
 * The key makes repeats (a retry, a second replica) one refund.
 */
export const refundPayment = async (payment: StoredPayment): Promise<void> => {
  if (payment.status !== PaymentStatus.Succeeded || !payment.orderCancelled || !payment.stripeId) return;
  const outcome = await askStripeToRefund(payment, payment.stripeId);
  if (outcome.refunded) await recordRefund(payment, payment.stripeId);
  else await recordRefusal(payment, outcome.reason);
};

/**
 * Stores the refund of `filter`'s payment as due (`orderCancelled`), in one write whatever its state: on a
 * succeeded payment it is refunded at once; on a pending one, the write that records its charge reads it.
 * Resolves the payment as written, null if there is none.
 */
export const markRefundDue = async (filter: { orderId: string; _id?: string }): Promise<StoredPayment | null> => {
  const payment = await Payment.findOneAndUpdate(
    filter,
    { $set: { orderCancelled: true } },
    { returnDocument: 'after' },
  ).lean<StoredPayment>();
  if (payment?.status === PaymentStatus.Succeeded) refunds.kick(payment);
  return payment;
};

/**
 * Carries out a refund as soon as it is stored as due. A refund that fails here is not lost: the
 * due state stays stored, and the reconciler's periodic pass retries it until Stripe confirms.
 */
class RefundRunner {
  private readonly running = new Map<string, Promise<void>>();

  /** Refunds now, or joins the refund of this payment already in flight. */
  run(payment: StoredPayment): Promise<void> {
    const id = String(payment._id);
    let run = this.running.get(id);
    if (!run) {
      run = refundPayment(payment).finally(() => this.running.delete(id));
      this.running.set(id, run);
    }
    return run;
  }

  /** Refunds in the background; a failure is logged and left to the reconciler. */
  kick(payment: StoredPayment): void {
    this.run(payment).catch((err: Error) =>
      logger.error(`[payments] refund of payment ${String(payment._id)} failed, the reconciler retries it: ${err.message}`),
    );
  }

  /** Waits for the refunds in flight (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled(this.running.values());
  }
}

export const refunds = new RefundRunner();
