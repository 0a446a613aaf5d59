import { EventBus, Listener, OrderCancelledEvent, Subjects } from '@ticketing/common';
import { endOrder, type OrderEndParts } from './order-ended';

export class OrderCancelledListener extends Listener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  constructor(
    bus: EventBus,
    private readonly parts: OrderEndParts,
  ) {
    super(bus);
  }

  onMessage(data: OrderCancelledEvent['data']): Promise<void> {
    return endOrder(this.parts, data.id, data.admissionId);
  }
}
