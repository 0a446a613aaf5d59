import { Listener, PaymentCreatedEvent, retryOnConflict, Subjects } from '@ticketing/common';
import { isActive, Order } from '../../models/order';
import { queueGroupName } from '../queue-group-name';

/** A payment went through: the order is complete and keeps its ticket. */
export class PaymentCreatedListener extends Listener<PaymentCreatedEvent> {
  readonly subject = Subjects.PaymentCreated;
  readonly queueGroupName = queueGroupName;

  async onMessage({ orderId }: PaymentCreatedEvent['data']): Promise<void> {
    await retryOnConflict(async () => {
      const order = await Order.findById(orderId);
      if (!order) throw new Error(`payment:created names unknown order ${orderId}`);
      // A payment that lost the race with expiry leaves the order cancelled; the payments service refunds it.
      return isActive(order) ? Order.complete(order) : order;
    });
  }
}
