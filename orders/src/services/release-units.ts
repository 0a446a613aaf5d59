import { OrderStatus } from '@ticketing/common';
import { Order, OrderDoc, ticketIdOf } from '../models/order';
import { stock } from './stock';

/**
 * Gives a cancelled order's units back to the stock, then notes that it holds none. Idempotent
 * (the stock releases an order once), so every path that cancels calls it, and the repair pass too.
 */
export const releaseUnits = async (order: OrderDoc): Promise<void> => {
  if (order.status !== OrderStatus.Cancelled || !order.holding) return;
  await stock.release(ticketIdOf(order), order.id, order.quantity);
  await Order.updateOne({ _id: order._id }, { $unset: { holding: 1 } });
};
