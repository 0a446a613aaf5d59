import { ExpirationCompleteEvent, Listener, Subjects } from '@ticketing/common';
import { changeActiveOrder, Order } from '../../models/order';
import { orderOutbox } from '../outbox';

/** An order's time ran out: cancel it and release its ticket, unless it was paid or cancelled already. */
export class ExpirationCompleteListener extends Listener<ExpirationCompleteEvent> {
  readonly subject = Subjects.ExpirationComplete;

  async onMessage({ orderId }: ExpirationCompleteEvent['data']): Promise<void> {
    orderOutbox.kick(await changeActiveOrder(orderId, (order) => Order.cancel(order)));
  }
}
