import { newId } from '@ticketing/common/testing';
import { Ticket, TicketAttrs } from '../models/ticket';

/** A stored ticket, its ticket:created still in the outbox. */
export const createTicket = async (attrs: Partial<TicketAttrs> = {}) => {
  const ticket = Ticket.build({ title: 'Concert', price: 20, userId: newId(), ...attrs });
  await ticket.save();
  return ticket;
};

/** A stored ticket held by an order, as order:created leaves it. */
export const createReservedTicket = async (orderId = newId(), attrs: Partial<TicketAttrs> = {}) => {
  const reserved = await Ticket.reserve(await createTicket(attrs), { orderId, quantity: 1 });
  if (!reserved) throw new Error('could not reserve the test ticket');
  return reserved;
};
