import { EventBus, Listener, logger, OrderCreatedEvent, Subjects } from '@ticketing/common';
import type { WaitingRoom } from '../../services/waiting-room';

/** An order placed with an admission keeps the admission's slot until the order is paid or cancelled. */
export class OrderCreatedListener extends Listener<OrderCreatedEvent> {
  readonly subject = Subjects.OrderCreated;

  constructor(
    bus: EventBus,
    private readonly room: WaitingRoom,
  ) {
    super(bus);
  }

  async onMessage(data: OrderCreatedEvent['data']): Promise<void> {
    if (!data.admissionId) return;
    const held = await this.room.orderPlaced(data.admissionId, data.id, Date.parse(data.expiresAt));
    // The token was valid when orders checked it, but this event came after the slot's grace: the cap held, the order stands.
    if (!held) logger.warn(`[queue] order ${data.id}: admission ${data.admissionId} had already ended`);
  }
}
