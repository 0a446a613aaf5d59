import { insertReplica, Listener, Subjects, TicketCreatedEvent } from '@ticketing/common';
import { Ticket } from '../../models/ticket';

/** A ticket was listed: start its replica at the version it was created with. */
export class TicketCreatedListener extends Listener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;

  async onMessage({ id, title, price, version }: TicketCreatedEvent['data']): Promise<void> {
    await insertReplica(Ticket, { _id: id, title, price, version });
  }
}
