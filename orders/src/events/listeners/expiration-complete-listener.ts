import { ExpirationCompleteEvent, Listener, retryOnConflict, Subjects } from '@ticketing/common';
import { isActive, Order } from '../../models/order';
import { orderOutbox } from '../outbox';
import { queueGroupName } from '../queue-group-name';

/** An order's time ran out: cancel it and release its ticket, unless it was paid or cancelled already. */
export class ExpirationCompleteListener extends Listener<ExpirationCompleteEvent> {
  readonly subject = Subjects.ExpirationComplete;
  readonly queueGroupName = queueGroupName;

  async onMessage({ orderId }: ExpirationCompleteEvent['data']): Promise<void> {
    await retryOnConflict(async () => {
      const order = await Order.findById(orderId);
      if (!order) throw new Error(`expiration:complete names unknown order ${orderId}`);
      return isActive(order) ? Order.cancel(order) : order;
    });
    orderOutbox.kick();
  }
}
