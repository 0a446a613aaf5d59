import { EventBus, Listener, OrderCancelledEvent, Subjects } from '@ticketing/common';
import { endOrder, type OrderEndDeps } from './order-ended';

export class OrderCancelledListener extends Listener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  constructor(
    bus: EventBus,
    private readonly deps: OrderEndDeps,
  ) {
    super(bus);
  }

  onMessage(data: OrderCancelledEvent['data']): Promise<void> {
    return endOrder(this.deps, data.id, data.admissionId);
  }
}
