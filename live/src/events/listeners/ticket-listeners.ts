import { Subjects, TicketCreatedEvent, TicketUpdatedEvent } from '@ticketing/common';
import { LiveListener } from './live-listener';

type TicketData = TicketCreatedEvent['data'] | TicketUpdatedEvent['data'];

const ticketChanged = (data: TicketData, remaining: number) => ({
  type: 'ticket:changed' as const,
  data: { id: data.id, title: data.title, price: data.price, available: remaining > 0, remaining, version: data.version },
});

/** Messages from before listings had quantities carry no `available`: one unit, held while `orderId` is set. */
const remainingOf = (data: TicketData) => data.available ?? ('orderId' in data && data.orderId ? 0 : (data.quantity ?? 1));

export class TicketCreatedListener extends LiveListener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;

  protected push(data: TicketCreatedEvent['data']): void {
    this.context.hub.publish(ticketChanged(data, remainingOf(data)));
  }
}

/** Edits, reservations and releases alike: each carries the units left. */
export class TicketUpdatedListener extends LiveListener<TicketUpdatedEvent> {
  readonly subject = Subjects.TicketUpdated;

  protected push(data: TicketUpdatedEvent['data']): void {
    this.context.hub.publish(ticketChanged(data, remainingOf(data)));
  }
}
