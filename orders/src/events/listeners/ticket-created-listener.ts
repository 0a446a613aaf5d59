import { insertReplica, Listener, Subjects, TicketCreatedEvent } from '@ticketing/common';
import { listingFieldsOf, Ticket } from '../../models/ticket';

/** A ticket was listed: start its replica at the version it was created with. */
export class TicketCreatedListener extends Listener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;

  async onMessage(data: TicketCreatedEvent['data']): Promise<void> {
    const { id, title, price, userId, version } = data;
    await insertReplica(Ticket, { _id: id, title, price, userId, version, ...listingFieldsOf(data) });
  }
}
