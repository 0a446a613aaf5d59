import { InvalidMessageError, Listener, OrderCancelledEvent, retryOnConflict, Subjects } from '@ticketing/common';
import { holdOf, Ticket } from '../../models/ticket';
import { ticketOutbox } from '../outbox';

/** A cancelled order gives its units back for sale. */
export class OrderCancelledListener extends Listener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  async onMessage({ id: orderId, ticket: { id: ticketId } }: OrderCancelledEvent['data']): Promise<void> {
    const ticket = await retryOnConflict(async () => {
      const ticket = await Ticket.findById(ticketId);
      if (!ticket) throw new InvalidMessageError(`order:cancelled ${orderId} names unknown ticket ${ticketId}`);
      if (holdOf(ticket, orderId)) return Ticket.release(ticket, orderId);
      // Already released, or its order:created is still to come and must then be ignored.
      if (ticket.cancelledOrderIds.includes(orderId)) return ticket;
      return Ticket.rememberCancelled(ticket, orderId);
    });
    ticketOutbox.kick(ticket);
  }
}
