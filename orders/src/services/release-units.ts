import { OrderStatus } from '@ticketing/common';
import { Order, OrderDoc, ticketIdOf } from '../models/order';
import { unitLedger } from './unit-ledger';

/**
 * Gives a cancelled order's units back to the stock ledger, then notes that it holds none. Idempotent
 * (the ledger releases an order once), so every path that cancels calls it, and the repair pass too.
 * Orders stored before the ledger (no `holding`) held no ledger units.
 */
export const releaseUnits = async (order: OrderDoc): Promise<void> => {
  if (order.status !== OrderStatus.Cancelled || !order.holding) return;
  await unitLedger.release(ticketIdOf(order), order.id, order.quantity);
  await Order.updateOne({ _id: order._id }, { $unset: { holding: 1 } });
};
