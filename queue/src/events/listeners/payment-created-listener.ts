import { EventBus, Listener, PaymentCreatedEvent, Subjects } from '@ticketing/common';
import { endOrder, type OrderEndParts } from './order-ended';

/** A paid order has bought what it held: the buyer's admission ends. */
export class PaymentCreatedListener extends Listener<PaymentCreatedEvent> {
  readonly subject = Subjects.PaymentCreated;

  constructor(
    bus: EventBus,
    private readonly parts: OrderEndParts,
  ) {
    super(bus);
  }

  onMessage(data: PaymentCreatedEvent['data']): Promise<void> {
    return endOrder(this.parts, data.orderId, data.admissionId);
  }
}
