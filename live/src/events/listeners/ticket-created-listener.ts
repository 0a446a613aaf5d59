import { Subjects, TicketCreatedEvent } from '@ticketing/common';
import { LiveListener } from './live-listener';
import { ticketChanged } from './messages';

export class TicketCreatedListener extends LiveListener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;

  protected push(data: TicketCreatedEvent['data']): void {
    this.context.hub.publish(ticketChanged(data));
  }
}
