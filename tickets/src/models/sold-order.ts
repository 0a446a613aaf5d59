import mongoose from 'mongoose';
import { isDuplicateKey } from '@ticketing/common';

/**
 * An order paid for (payment:created), under the order's id, with its listing and units. Its units count as sold
 * while the listing's `holds` still name the order: a paid order that was cancelled since (rejected, then refunded)
 * holds nothing, so it counts as nothing, whichever of the two events came first. One small document per order,
 * beside the listing, like the cancelled orders.
 */
export interface SoldOrderFields {
  _id: string;
  ticketId: string;
  quantity: number;
}

const soldOrderSchema = new mongoose.Schema<SoldOrderFields>(
  { _id: { type: String, required: true }, ticketId: { type: String, required: true }, quantity: { type: Number, required: true } },
  { versionKey: false },
);

export const SoldOrder = mongoose.model<SoldOrderFields>('SoldOrder', soldOrderSchema);

/** Notes the order paid; noting it again is a no-op. */
export const rememberSold = async (sold: SoldOrderFields): Promise<void> => {
  try {
    await SoldOrder.create(sold);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
};

/** Of these orders, the units of those paid for, by order id: one read by `_id`. */
export const soldUnitsOf = async (orderIds: string[]): Promise<Map<string, number>> => {
  if (orderIds.length === 0) return new Map();
  const sold = await SoldOrder.find({ _id: { $in: orderIds } }).lean<SoldOrderFields[]>();
  return new Map(sold.map(({ _id, quantity }) => [_id, quantity]));
};
