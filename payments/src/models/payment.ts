import mongoose, { HydratedDocument } from 'mongoose';
import { apiJSON, HasOutbox, outboxField } from '@ticketing/common';
import { STRIPE_CALL_LIMIT_MS } from '../stripe';

export enum PaymentStatus {
  /** Claimed, the charge is in flight; the claim is what keeps a second charge out. */
  Pending = 'pending',
  Succeeded = 'succeeded',
  /** The order was cancelled while it was paid for, so the charge went back. */
  Refunded = 'refunded',
}

/**
 * A pending claim this old belongs to a request that died before it recorded its charge: it is
 * past the longest a charge can take, plus time to record it, so a later request may take it over.
 */
export const ABANDONED_CLAIM_MS = STRIPE_CALL_LIMIT_MS + 30_000;

export interface PaymentFields extends HasOutbox {
  orderId: mongoose.Types.ObjectId;
  stripeId?: string;
  status: PaymentStatus;
  /** When the pending claim was made or last taken over. */
  claimedAt: Date;
}

export type PaymentDoc = HydratedDocument<PaymentFields>;

const paymentSchema = new mongoose.Schema<PaymentFields>(
  {
    // One payment per order: the unique index lets exactly one of racing requests claim it.
    orderId: { type: mongoose.Schema.Types.ObjectId, required: true, unique: true },
    stripeId: { type: String },
    status: { type: String, enum: Object.values(PaymentStatus), required: true, default: PaymentStatus.Pending },
    claimedAt: { type: Date, required: true },
    outbox: outboxField,
  },
  { toJSON: apiJSON },
);

export const Payment = mongoose.model<PaymentFields>('Payment', paymentSchema);
