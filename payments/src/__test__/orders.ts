import { OrderStatus, toCents } from '@ticketing/common';
import { newId } from '@ticketing/common/testing';
import { Order, OrderFields } from '../models/order';

/** An order as payments has it from order:created (one unit unless a totalCents is given), owned by a new user unless told otherwise. */
export const createOrder = async (overrides: Partial<OrderFields> = {}) => {
  const order = {
    id: newId(),
    version: 0,
    userId: newId(),
    sellerId: newId(),
    price: 19.99,
    status: OrderStatus.Created,
    expiresAt: new Date(Date.now() + 15 * 60_000),
    ...overrides,
  };
  const priced = { totalCents: toCents(order.price), ...order };
  const { id, ...attrs } = priced;
  await Order.create({ _id: id, ...attrs });
  return priced;
};
