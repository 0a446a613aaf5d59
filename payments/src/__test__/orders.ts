import mongoose from 'mongoose';
import { OrderStatus } from '@ticketing/common';
import { Order, OrderFields } from '../models/order';

export const objectId = () => new mongoose.Types.ObjectId().toHexString();

/** An order as payments has it from order:created, owned by a new user unless told otherwise. */
export const createOrder = async (overrides: Partial<OrderFields> = {}) => {
  const order = { id: objectId(), version: 0, userId: objectId(), price: 19.99, status: OrderStatus.Created, ...overrides };
  const { id, ...attrs } = order;
  await Order.create({ _id: id, ...attrs });
  return order;
};
