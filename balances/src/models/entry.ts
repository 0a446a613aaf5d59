import mongoose from 'mongoose';
import type { SaleItem } from '@ticketing/common';

export enum EntryKind {
  /** payment:created: the buyer's money, due to the seller. */
  Sale = 'sale',
  /** payment:refunded: the same money, back to the buyer. */
  Refund = 'refund',
}

/**
 * One line of a seller's ledger. Its _id is the event that caused it (`payment:created:<paymentId>`),
 * so a redelivered or replayed event finds its entry already there and adds nothing.
 */
export interface EntryFields extends SaleItem {
  _id: string;
  sellerId: string;
  /** The entry's place in its seller's ledger, from 1; the balance holds entries 1..seq. */
  seq: number;
  kind: EntryKind;
  /** Signed: a sale adds, a refund takes away. */
  amountCents: number;
  currency: string;
  paymentId: string;
  orderId: string;
  createdAt: Date;
}

const entrySchema = new mongoose.Schema<EntryFields>(
  {
    _id: { type: String, required: true },
    sellerId: { type: String, required: true },
    seq: { type: Number, required: true },
    kind: { type: String, enum: Object.values(EntryKind), required: true },
    amountCents: { type: Number, required: true },
    currency: { type: String, required: true },
    paymentId: { type: String, required: true },
    orderId: { type: String, required: true },
    // What was sold, from the event (absent from events published before they carried it).
    ticket: { type: new mongoose.Schema({ id: String, title: String }, { _id: false }) },
    quantity: { type: Number },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
// Two entries racing for one place in a seller's ledger: one gets it, the other takes the next.
entrySchema.index({ sellerId: 1, seq: 1 }, { unique: true });

export const Entry = mongoose.model<EntryFields>('Entry', entrySchema);

/** An entry as GET /api/balances/me/entries shows it. */
export const entryView = (entry: EntryFields) => ({
  id: entry._id,
  seq: entry.seq,
  kind: entry.kind,
  amountCents: entry.amountCents,
  currency: entry.currency,
  paymentId: entry.paymentId,
  orderId: entry.orderId,
  ...(entry.ticket && { ticket: { id: entry.ticket.id, title: entry.ticket.title } }),
  ...(entry.quantity !== undefined && { quantity: entry.quantity }),
  createdAt: entry.createdAt.toISOString(),
});
