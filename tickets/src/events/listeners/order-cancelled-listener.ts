import { InvalidMessageError, Listener, OrderCancelledEvent, Subjects } from '@ticketing/common';
import { rememberCancelled } from '../../models/cancelled-order';
import { Ticket } from '../../models/ticket';
import { ticketOutbox } from '../outbox';
import { releaseHold } from './release-hold';

/**
 * A cancelled order gives its units back for sale. The cancellation is noted before the listing is read, and
 * order:created reserves before it looks for that note, so whichever of the two runs second sees the other.
 */
export class OrderCancelledListener extends Listener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  async onMessage({ id: orderId, ticket: { id: ticketId } }: OrderCancelledEvent['data']): Promise<void> {
    if (!(await Ticket.exists({ _id: ticketId }))) {
      throw new InvalidMessageError(`order:cancelled ${orderId} names unknown ticket ${ticketId}`);
    }
    await rememberCancelled(orderId, ticketId);
    const ticket = await releaseHold(ticketId, orderId);
    ticketOutbox.kick(ticket);
  }
}
