import { Subjects, TicketCreatedEvent, TicketUpdatedEvent } from '@ticketing/common';
import { LiveListener } from './live-listener';

type TicketData = TicketCreatedEvent['data'] | TicketUpdatedEvent['data'];

const ticketChanged = ({ id, title, price, available, version }: TicketData) => ({
  type: 'ticket:changed' as const,
  data: { id, title, price, available: available > 0, remaining: available, version },
});

export class TicketCreatedListener extends LiveListener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;

  protected push(data: TicketCreatedEvent['data']): void {
    this.context.hub.publish(ticketChanged(data));
  }
}

/** Edits, reservations and releases alike: each carries the units left. */
export class TicketUpdatedListener extends LiveListener<TicketUpdatedEvent> {
  readonly subject = Subjects.TicketUpdated;

  protected push(data: TicketUpdatedEvent['data']): void {
    this.context.hub.publish(ticketChanged(data));
  }
}
