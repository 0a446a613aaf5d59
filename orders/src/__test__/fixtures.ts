import { OrderStatus } from '@ticketing/common';
import { newId } from '@ticketing/common/testing';
import { Order } from '../models/order';
import { Ticket, TicketFields } from '../models/ticket';
import { releaseUnits } from '../services/release-units';
import { buyerKey } from '../models/buyer-entry';
import { buyerUnits, stock } from '../services/stock';

/** A ticket replica, as ticket:created leaves it: one unit, on sale, no waiting room unless said otherwise. */
export const createTicket = (fields: Partial<TicketFields> = {}) =>
  Ticket.create({ _id: newId(), title: 'Concert', price: 20, userId: newId(), version: 0, ...fields });

/**
 * A stored order of `userId` for `quantity` units of a ticket (a new one unless given), its units held in the
 * stock; a complete or cancelled one is taken there the way the service does.
 */
export const createOrder = async ({
  userId = newId(),
  status = OrderStatus.Created,
  quantity = 1,
  ticket: given,
  admissionId,
}: {
  userId?: string;
  status?: OrderStatus;
  quantity?: number;
  ticket?: Awaited<ReturnType<typeof createTicket>>;
  admissionId?: string;
} = {}) => {
  const ticket = given ?? (await createTicket({ quantity }));
  const order = Order.build({ userId, ticket, quantity, admissionId, expiresAt: new Date(Date.now() + 60_000) });
  const allowed = await buyerUnits.hold(buyerKey(ticket.id, userId), order.id, quantity, ticket.limitPerBuyer);
  if (!allowed.held) throw new Error('the test buyer has reached the limit per buyer');
  const hold = await stock.hold(ticket.id, order.id, quantity, ticket.quantity);
  if (!hold.held) throw new Error('the test ticket has no units left');
  await order.save();
  if (status === OrderStatus.Created) return { order, ticket };

  const changed = await (status === OrderStatus.Cancelled ? Order.cancel(order) : Order.complete(order));
  if (!changed) throw new Error(`could not make the test order ${status}`);
  await releaseUnits(changed);
  return { order: changed, ticket };
};
