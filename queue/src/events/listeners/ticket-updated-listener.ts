import { EventBus, Listener, Subjects, TicketUpdatedEvent } from '@ticketing/common';
import type { WaitingRoom } from '../../services/waiting-room';
import { listingRulesOf } from './listing-rules';

/** An edited listing: its waiting room's cap and opening time follow the newest version. */
export class TicketUpdatedListener extends Listener<TicketUpdatedEvent> {
  readonly subject = Subjects.TicketUpdated;

  constructor(
    bus: EventBus,
    private readonly room: WaitingRoom,
  ) {
    super(bus);
  }

  async onMessage(data: TicketUpdatedEvent['data']): Promise<void> {
    await this.room.setListing(data.id, data.version, listingRulesOf(data));
  }
}
