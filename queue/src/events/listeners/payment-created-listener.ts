import { EventBus, Listener, PaymentCreatedEvent, Subjects } from '@ticketing/common';
import { endOrder, type OrderEndDeps } from './order-ended';

/** A paid order has bought what it held: the buyer's admission ends. */
export class PaymentCreatedListener extends Listener<PaymentCreatedEvent> {
  readonly subject = Subjects.PaymentCreated;

  constructor(
    bus: EventBus,
    private readonly deps: OrderEndDeps,
  ) {
    super(bus);
  }

  onMessage(data: PaymentCreatedEvent['data']): Promise<void> {
    return endOrder(this.deps, data.orderId, data.admissionId);
  }
}
