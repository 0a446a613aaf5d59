import mongoose, { HydratedDocument } from 'mongoose';
import { HasOutbox, outboxField, PaymentAmount, SaleItem } from '@ticketing/common';
import { saleItemFields, saleItemOf } from './order';

export enum PaymentStatus {
  /** Claimed and queued: the current attempt is being charged (or retried). */
  Pending = 'pending',
  Succeeded = 'succeeded',
  /** The current attempt was declined (or its order ended before it was charged); the buyer may try again. */
  Failed = 'failed',
  /** The order was cancelled while it was paid for, and Stripe confirmed the refund. */
  Refunded = 'refunded',
  /** A refund Stripe refuses for good (the charge is disputed, say): no pass retries it, `refundFailureReason` says why. */
  RefundFailed = 'refundFailed',
}

/** The request an attempt sends to Stripe, stored so that every retry sends exactly the same one. */
export interface ChargeRequest {
  idempotencyKey: string;
  amount: number;
  currency: string;
  source: string;
  metadata: { orderId: string; paymentId: string; attempt: string };
}

/** SaleItem: what the order paid for, copied from it, which payment:created and payment:refunded name. */
export interface PaymentFields extends HasOutbox, SaleItem {
  orderId: mongoose.Types.ObjectId;
  userId: string;
  /** The ticket's seller, from the order: payment:created and payment:refunded name them. */
  sellerId: string;
  /** The order's waiting-room admission, from the order: payment:created names it. */
  admissionId?: string;
  status: PaymentStatus;
  /** The attempt chain: 1 for the first card, one more for each retry after a decline. */
  attempt: number;
  charge: ChargeRequest;
  /** When the attempt was claimed; the reconciler resolves pending attempts older than a charge can take. */
  claimedAt: Date;
  /** Set before the attempt first reaches for Stripe: without it, nothing can have been charged. */
  chargeSentAt?: Date;
  stripeId?: string;
  failureMessage?: string;
  /** Stripe's answer to a refund it will never make, with status refundFailed. */
  refundFailureReason?: string;
  /** Learnt from order:cancelled. With status succeeded it means "refund due". */
  orderCancelled: boolean;
  createdAt: Date;
}

export type PaymentDoc = HydratedDocument<PaymentFields>;

/** A payment as a lean read returns it. */
export type StoredPayment = PaymentFields & { _id: mongoose.Types.ObjectId };

const chargeSchema = new mongoose.Schema<ChargeRequest>(
  {
    idempotencyKey: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    source: { type: String, required: true },
    metadata: { type: mongoose.Schema.Types.Mixed, required: true },
  },
  { _id: false },
);

const paymentSchema = new mongoose.Schema<PaymentFields>(
  {
    // One payment per order: the unique index lets exactly one of racing requests claim it.
    orderId: { type: mongoose.Schema.Types.ObjectId, required: true, unique: true },
    userId: { type: String, required: true },
    sellerId: { type: String, required: true },
    admissionId: { type: String },
    status: { type: String, enum: Object.values(PaymentStatus), required: true },
    attempt: { type: Number, required: true },
    charge: { type: chargeSchema, required: true },
    claimedAt: { type: Date, required: true },
    chargeSentAt: { type: Date },
    stripeId: { type: String },
    failureMessage: { type: String },
    refundFailureReason: { type: String },
    orderCancelled: { type: Boolean, required: true, default: false },
    ...saleItemFields,
    outbox: outboxField,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
// The reconciler's two questions, oldest first: old pending attempts, and refunds due.
paymentSchema.index({ status: 1, claimedAt: 1 });
paymentSchema.index({ status: 1, orderCancelled: 1, createdAt: 1 });

export const Payment = mongoose.model<PaymentFields>('Payment', paymentSchema);

/** Who the payment pays, how much and for what, as payment:created and payment:refunded carry it. */
export const paymentAmount = (payment: PaymentFields): PaymentAmount & SaleItem => ({
  sellerId: payment.sellerId,
  amountCents: payment.charge.amount,
  currency: payment.charge.currency,
  ...saleItemOf(payment),
});

/** A payment as GET /api/payments/:id shows it. */
export const paymentView = (payment: StoredPayment) => ({
  id: String(payment._id),
  orderId: String(payment.orderId),
  status: payment.status,
  amountCents: payment.charge.amount,
  currency: payment.charge.currency,
  ...(payment.stripeId ? { stripeId: payment.stripeId } : {}),
  ...(payment.status === PaymentStatus.Failed && payment.failureMessage ? { failureMessage: payment.failureMessage } : {}),
  ...(payment.status === PaymentStatus.RefundFailed && payment.refundFailureReason
    ? { refundFailureReason: payment.refundFailureReason }
    : {}),
  createdAt: payment.createdAt.toISOString(),
});
