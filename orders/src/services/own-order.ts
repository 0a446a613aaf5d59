import { NotAuthorizedError, NotFoundError } from '@ticketing/common';
import { Order } from '../models/order';

/** The order with this id, if it belongs to the user: 404 when there is none, 401 when it is someone else's. */
export const findOwnOrder = async (orderId: string, userId: string) => {
  const order = await Order.findById(orderId);
  if (!order) throw new NotFoundError();
  if (order.userId !== userId) throw new NotAuthorizedError();
  return order;
};
