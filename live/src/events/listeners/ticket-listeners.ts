import { Subjects, TicketCreatedEvent, TicketUpdatedEvent } from '@ticketing/common';
import { LiveListener } from './live-listener';

type TicketData = TicketCreatedEvent['data'] | TicketUpdatedEvent['data'];

const ticketChanged = (data: TicketData, available: boolean) => ({
  type: 'ticket:changed' as const,
  data: { id: data.id, title: data.title, price: data.price, available, version: data.version },
});

export class TicketCreatedListener extends LiveListener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;

  protected push(data: TicketCreatedEvent['data']): void {
    this.context.hub.publish(ticketChanged(data, true));
  }
}

/** Edits, reservations (orderId set) and releases (orderId gone) alike. */
export class TicketUpdatedListener extends LiveListener<TicketUpdatedEvent> {
  readonly subject = Subjects.TicketUpdated;

  protected push(data: TicketUpdatedEvent['data']): void {
    this.context.hub.publish(ticketChanged(data, !data.orderId));
  }
}
