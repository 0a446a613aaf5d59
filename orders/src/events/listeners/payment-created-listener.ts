import { Listener, PaymentCreatedEvent, Subjects } from '@ticketing/common';
import { changeActiveOrder, Order } from '../../models/order';

/** A payment went through: the order is complete and keeps its ticket. */
export class PaymentCreatedListener extends Listener<PaymentCreatedEvent> {
  readonly subject = Subjects.PaymentCreated;

  async onMessage({ orderId }: PaymentCreatedEvent['data']): Promise<void> {
    // A payment that lost the race with expiry leaves the order cancelled; the payments service refunds it.
    await changeActiveOrder(orderId, (order) => Order.complete(order));
  }
}
