import { applyVersion, Listener, Subjects, TicketUpdatedEvent } from '@ticketing/common';
import { Ticket } from '../../models/ticket';

/** A ticket changed: apply version N only on top of N-1; an early one stays unacked until its turn. */
export class TicketUpdatedListener extends Listener<TicketUpdatedEvent> {
  readonly subject = Subjects.TicketUpdated;

  async onMessage({ id, title, price, version }: TicketUpdatedEvent['data']): Promise<void> {
    await applyVersion(Ticket, id, version, { title, price });
  }
}
