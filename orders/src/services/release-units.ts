import { OrderStatus } from '@ticketing/common';
import { buyerKey } from '../models/buyer-entry';
import { Order, OrderDoc, ticketIdOf } from '../models/order';
import { buyerUnits, stock } from './stock';

/**
 * Gives a cancelled order's units back to the stock and to its buyer's limit, then notes that it holds none.
 * Idempotent (each chain releases an order once), so every path that cancels calls it, and the repair pass too.
 */
export const releaseUnits = async (order: OrderDoc): Promise<void> => {
  if (order.status !== OrderStatus.Cancelled || !order.holding) return;
  const ticketId = ticketIdOf(order);
  await stock.release(ticketId, order.id, order.quantity);
  await buyerUnits.releaseIfHeld(buyerKey(ticketId, order.userId), order.id, order.quantity);
  await Order.updateOne({ _id: order._id }, { $unset: { holding: 1 } });
};
