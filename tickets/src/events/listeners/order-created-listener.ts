import { InvalidMessageError, Listener, OrderCreatedEvent, retryOnConflict, Subjects } from '@ticketing/common';
import { isCancelled, rememberCancelled } from '../../models/cancelled-order';
import { oneWriteAtATime } from '../../models/listing-writes';
import { holdOf, Ticket, TicketDoc } from '../../models/ticket';
import { ticketOutbox } from '../outbox';
import { releaseHold } from './release-hold';

type OrderCreated = OrderCreatedEvent['data'];

/** An order placed against a version older than the last change of quantity may count on units no longer for sale. */
const placedBeforeQuantityChange = (ticket: TicketDoc, order: OrderCreated) => order.ticket.version < ticket.quantityVersion;

/** What became of the order on the listing: it holds units, or was rejected (reservation:rejected queued). */
type Outcome = { ticket: TicketDoc; rejected: boolean };

/**
 * An order holds units: count them held so they leave the listing and its price and quantity cannot be edited.
 * An order placed against an older version (an edit raced it: another price, or units taken off sale) is
 * rejected instead, so that no buyer pays another price or holds a unit that is not for sale. An order seen
 * cancelled (its cancellation came first, or this is a repeat) changes nothing.
 */
export class OrderCreatedListener extends Listener<OrderCreatedEvent> {
  readonly subject = Subjects.OrderCreated;

  async onMessage(order: OrderCreated): Promise<void> {
    const { id: orderId, ticket: placed } = order;
    if (await isCancelled(orderId)) return;
    const { ticket, rejected } = await oneWriteAtATime(placed.id, () => retryOnConflict(() => this.reserveOrReject(order)));
    ticketOutbox.kick(ticket);
    if (rejected) await rememberCancelled(orderId, placed.id);
    // Its cancellation may have been noted while this reserved: then the cancellation's read missed the hold.
    else if (await isCancelled(orderId)) ticketOutbox.kick(await releaseHold(placed.id, orderId));
  }

  private async reserveOrReject(order: OrderCreated): Promise<Outcome | null> {
    const { id: orderId, ticket: placed, quantity } = order;
    const ticket = await Ticket.findById(placed.id);
    if (!ticket) throw new InvalidMessageError(`order:created ${orderId} names unknown ticket ${placed.id}`);
    if (holdOf(ticket, orderId)) return { ticket, rejected: false };
    if (quantity > ticket.available) {
      if (placedBeforeQuantityChange(ticket, order)) return this.reject(ticket, order);
      // Orders gives units back before it sells them again, so another order's cancellation is on its way.
      throw new Error(
        `ticket ${ticket.id} is still held: ${ticket.available} unit(s) left for order ${orderId}'s ${quantity}; retrying later`,
      );
    }
    if (ticket.price !== placed.price) return this.reject(ticket, order);
    const reserved = await Ticket.reserve(ticket, { orderId, quantity });
    return reserved && { ticket: reserved, rejected: false };
  }

  private async reject(ticket: TicketDoc, { id, ticket: placed }: OrderCreated): Promise<Outcome | null> {
    const rejected = await Ticket.rejectOrder(ticket, { id, price: placed.price });
    return rejected && { ticket: rejected, rejected: true };
  }
}
