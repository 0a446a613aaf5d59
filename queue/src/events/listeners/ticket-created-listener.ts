import { EventBus, Listener, Subjects, TicketCreatedEvent } from '@ticketing/common';
import type { WaitingRoom } from '../../services/waiting-room';
import { listingRulesOf } from './listing-rules';

/** A new listing: with a waiting room, buyers may join its line from now on. */
export class TicketCreatedListener extends Listener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;

  constructor(
    bus: EventBus,
    private readonly room: WaitingRoom,
  ) {
    super(bus);
  }

  async onMessage(data: TicketCreatedEvent['data']): Promise<void> {
    await this.room.setListing(data.id, data.version, listingRulesOf(data));
  }
}
