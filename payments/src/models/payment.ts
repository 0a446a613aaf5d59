import mongoose from 'mongoose';
import { apiJSON, HasOutbox, natsWrapper, outboxField, OutboxRelay } from '@ticketing/common';

export enum PaymentStatus {
  /** Claimed, the charge is in flight; the claim is what keeps a second charge out. */
  Pending = 'pending',
  Succeeded = 'succeeded',
  /** The order was cancelled while it was paid for, so the charge went back. */
  Refunded = 'refunded',
}

/**
 * A pending claim this old belongs to a request that died before it recorded its charge: it is well
 * past the longest a charge can take (STRIPE_CALL_LIMIT_MS), so a later request may take it over.
 */
export const ABANDONED_CLAIM_MS = 2 * 60_000;

export interface PaymentAttrs {
  orderId: mongoose.Types.ObjectId;
  stripeId?: string;
  status: PaymentStatus;
  /** When the pending claim was made or last taken over; absent on claims made before takeovers existed. */
  claimedAt?: Date;
}

export interface PaymentDoc extends mongoose.Document, PaymentAttrs, HasOutbox {}

const paymentSchema = new mongoose.Schema<PaymentDoc>(
  {
    // One payment per order: the unique index lets exactly one of racing requests claim it.
    orderId: { type: mongoose.Schema.Types.ObjectId, required: true, unique: true },
    stripeId: { type: String },
    status: { type: String, enum: Object.values(PaymentStatus), required: true, default: PaymentStatus.Pending },
    claimedAt: { type: Date },
    outbox: outboxField,
  },
  { toJSON: apiJSON },
);

export const Payment = mongoose.model<PaymentDoc>('Payment', paymentSchema);

/** Publishes payment:created from the payments' outbox. */
export const paymentOutbox = new OutboxRelay(Payment, () => natsWrapper.bus);
