import mongoose from 'mongoose';
import { apiJSON, HasOutbox, natsWrapper, outboxField, OutboxRelay } from '@ticketing/common';

export enum PaymentStatus {
  /** Claimed, the charge is in flight; the claim is what keeps a second charge out. */
  Pending = 'pending',
  Succeeded = 'succeeded',
  /** The order was cancelled while it was paid for, so the charge went back. */
  Refunded = 'refunded',
}

export interface PaymentAttrs {
  orderId: mongoose.Types.ObjectId;
  stripeId?: string;
  status: PaymentStatus;
}

export interface PaymentDoc extends mongoose.Document, PaymentAttrs, HasOutbox {}

const paymentSchema = new mongoose.Schema<PaymentDoc>(
  {
    // One payment per order: the unique index lets exactly one of racing requests claim it.
    orderId: { type: mongoose.Schema.Types.ObjectId, required: true, unique: true },
    stripeId: { type: String },
    status: { type: String, enum: Object.values(PaymentStatus), required: true, default: PaymentStatus.Pending },
    outbox: outboxField,
  },
  { toJSON: apiJSON },
);

export const Payment = mongoose.model<PaymentDoc>('Payment', paymentSchema);

/** Publishes payment:created from the payments' outbox. */
export const paymentOutbox = new OutboxRelay(Payment, () => natsWrapper.bus);
