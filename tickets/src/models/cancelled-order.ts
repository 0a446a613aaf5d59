import mongoose from 'mongoose';
import { isDuplicateKey } from '@ticketing/common';

/**
 * An order tickets has seen cancelled (or has rejected), under the order's id: its order:created, arriving
 * late or again, must not reserve units. One small document per order, beside the listing rather than in it,
 * so that no listing grows with the orders placed on it.
 */
export interface CancelledOrderFields {
  _id: string;
  ticketId: string;
}

const cancelledOrderSchema = new mongoose.Schema<CancelledOrderFields>(
  { _id: { type: String, required: true }, ticketId: { type: String, required: true } },
  { versionKey: false },
);

export const CancelledOrder = mongoose.model<CancelledOrderFields>('CancelledOrder', cancelledOrderSchema);

/** Notes the order cancelled; noting it again is a no-op. */
export const rememberCancelled = async (orderId: string, ticketId: string): Promise<void> => {
  try {
    await CancelledOrder.create({ _id: orderId, ticketId });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
};

export const isCancelled = async (orderId: string): Promise<boolean> => (await CancelledOrder.exists({ _id: orderId })) !== null;
