import { OrderStatus } from '@ticketing/common';
import { newId } from '@ticketing/common/testing';
import { Order } from '../models/order';
import { Ticket, TicketFields } from '../models/ticket';

/** A ticket replica, as ticket:created leaves it. */
export const createTicket = (fields: Partial<TicketFields> = {}) =>
  Ticket.create({ _id: newId(), title: 'Concert', price: 20, version: 0, ...fields });

/** A stored order of `userId` for a new ticket; a complete or cancelled one is taken there the way the service does. */
export const createOrder = async ({ userId = newId(), status = OrderStatus.Created } = {}) => {
  const ticket = await createTicket();
  const order = Order.build({ userId, ticket, expiresAt: new Date(Date.now() + 60_000) });
  await order.save();
  if (status === OrderStatus.Created) return { order, ticket };

  const changed = await (status === OrderStatus.Cancelled ? Order.cancel(order) : Order.complete(order));
  if (!changed) throw new Error(`could not make the test order ${status}`);
  return { order: changed, ticket };
};
