import { EventBus, Listener, OrderCreatedEvent, Subjects } from '@ticketing/common';
import { ExpirationQueue, scheduleExpiration } from '../../workers/expiration-queue';

export class OrderCreatedListener extends Listener<OrderCreatedEvent> {
  readonly subject = Subjects.OrderCreated;

  constructor(
    bus: EventBus,
    private readonly queue: ExpirationQueue,
  ) {
    super(bus);
  }

  async onMessage(data: OrderCreatedEvent['data']): Promise<void> {
    await scheduleExpiration(this.queue, data.id, data.expiresAt);
  }
}
