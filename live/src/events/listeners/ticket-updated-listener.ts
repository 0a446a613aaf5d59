import { Subjects, TicketUpdatedEvent } from '@ticketing/common';
import { LiveListener } from './live-listener';
import { ticketChanged } from './messages';

/** Edits, reservations and releases alike: each carries the units left. */
export class TicketUpdatedListener extends LiveListener<TicketUpdatedEvent> {
  readonly subject = Subjects.TicketUpdated;

  protected push(data: TicketUpdatedEvent['data']): void {
    this.context.hub.publish(ticketChanged(data));
  }
}
