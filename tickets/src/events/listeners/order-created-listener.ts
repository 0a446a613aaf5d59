import { Listener, OrderCreatedEvent, retryOnConflict, Subjects } from '@ticketing/common';
import { Ticket } from '../../models/ticket';
import { ticketOutbox } from '../outbox';

/**
 * An order holds the ticket: mark it reserved so it leaves the listing and cannot be edited.
 * An order priced from an older version (an edit raced it) is rejected instead, so that no
 * buyer pays a price other than the one the ticket has when it is reserved.
 */
export class OrderCreatedListener extends Listener<OrderCreatedEvent> {
  readonly subject = Subjects.OrderCreated;

  async onMessage({ id: orderId, ticket: { id: ticketId, price } }: OrderCreatedEvent['data']): Promise<void> {
    const ticket = await retryOnConflict(async () => {
      const ticket = await Ticket.findById(ticketId);
      if (!ticket) throw new Error(`order:created ${orderId} names unknown ticket ${ticketId}`);
      if (ticket.orderId === orderId || ticket.cancelledOrderIds.includes(orderId)) return ticket;
      // The orders service lets one active order hold a ticket, so the other order's cancellation is on its way.
      if (ticket.orderId) throw new Error(`ticket ${ticketId} is still held by order ${ticket.orderId}; retrying later`);
      if (ticket.price !== price) return Ticket.rejectOrder(ticket, { id: orderId, price });
      return Ticket.reserve(ticket, orderId);
    });
    ticketOutbox.kick(ticket);
  }
}
