import { applyVersion, Listener, Subjects, TicketUpdatedEvent } from '@ticketing/common';
import { listingFieldsOf, Ticket } from '../../models/ticket';

/**
 * A ticket changed: apply version N only on top of N-1; an early one stays unacked until its turn.
 * The units held are not part of the replica (they live in the stock), so no edit touches them;
 * the `available` tickets publishes is its own view, not copied.
 */
export class TicketUpdatedListener extends Listener<TicketUpdatedEvent> {
  readonly subject = Subjects.TicketUpdated;

  async onMessage(data: TicketUpdatedEvent['data']): Promise<void> {
    const { id, title, price, userId, version } = data;
    await applyVersion(Ticket, id, version, { title, price, userId, ...listingFieldsOf(data) });
  }
}
