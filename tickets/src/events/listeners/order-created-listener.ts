import { Listener, OrderCreatedEvent, retryOnConflict, Subjects } from '@ticketing/common';
import { Ticket } from '../../models/ticket';
import { ticketOutbox } from '../outbox';

/** An order holds the ticket: mark it reserved so it leaves the listing and cannot be edited. */
export class OrderCreatedListener extends Listener<OrderCreatedEvent> {
  readonly subject = Subjects.OrderCreated;

  async onMessage({ id: orderId, ticket: { id: ticketId } }: OrderCreatedEvent['data']): Promise<void> {
    const ticket = await retryOnConflict(async () => {
      const ticket = await Ticket.findById(ticketId);
      if (!ticket) throw new Error(`order:created ${orderId} names unknown ticket ${ticketId}`);
      if (ticket.orderId === orderId || ticket.cancelledOrderIds.includes(orderId)) return ticket;
      // The orders service lets one active order hold a ticket, so the other order's cancellation is on its way.
      if (ticket.orderId) throw new Error(`ticket ${ticketId} is still held by order ${ticket.orderId}; retrying later`);
      return Ticket.reserve(ticket, orderId);
    });
    ticketOutbox.kick(ticket);
  }
}
