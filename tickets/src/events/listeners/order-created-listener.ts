import { InvalidMessageError, Listener, OrderCreatedEvent, retryOnConflict, Subjects } from '@ticketing/common';
import { holdOf, Ticket, TicketDoc } from '../../models/ticket';
import { ticketOutbox } from '../outbox';

type OrderCreated = OrderCreatedEvent['data'];

/** An order placed against a version older than the last change of quantity may count on units no longer for sale. */
const placedBeforeQuantityChange = (ticket: TicketDoc, order: OrderCreated) => order.ticket.version < ticket.quantityVersion;

/**
 * An order holds units: count them held so they leave the listing and its price and quantity cannot be edited.
 * An order placed against an older version (an edit raced it: another price, or units taken off sale) is
 * rejected instead, so that no buyer pays another price or holds a unit that is not for sale.
 */
export class OrderCreatedListener extends Listener<OrderCreatedEvent> {
  readonly subject = Subjects.OrderCreated;

  async onMessage(order: OrderCreated): Promise<void> {
    const { id: orderId, ticket: placed, quantity } = order;
    const ticket = await retryOnConflict(async () => {
      const ticket = await Ticket.findById(placed.id);
      if (!ticket) throw new InvalidMessageError(`order:created ${orderId} names unknown ticket ${placed.id}`);
      if (holdOf(ticket, orderId) || ticket.cancelledOrderIds.includes(orderId)) return ticket;
      if (quantity > ticket.available) {
        if (placedBeforeQuantityChange(ticket, order)) return Ticket.rejectOrder(ticket, { id: orderId, price: placed.price });
        // Orders gives units back before it sells them again, so another order's cancellation is on its way.
        throw new Error(
          `ticket ${ticket.id} is still held: ${ticket.available} unit(s) left for order ${orderId}'s ${quantity}; retrying later`,
        );
      }
      if (ticket.price !== placed.price) return Ticket.rejectOrder(ticket, { id: orderId, price: placed.price });
      return Ticket.reserve(ticket, { orderId, quantity });
    });
    ticketOutbox.kick(ticket);
  }
}
