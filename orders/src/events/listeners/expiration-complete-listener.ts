import { CancelReason, ExpirationCompleteEvent, Listener, Subjects } from '@ticketing/common';
import { changeActiveOrder, Order } from '../../models/order';
import { releaseUnits } from '../../services/release-units';
import { orderOutbox } from '../outbox';

/** An order's time ran out: cancel it and give its units back, unless it was paid (a cancelled one is released again, idempotently). */
export class ExpirationCompleteListener extends Listener<ExpirationCompleteEvent> {
  readonly subject = Subjects.ExpirationComplete;

  async onMessage({ orderId }: ExpirationCompleteEvent['data']): Promise<void> {
    const order = await changeActiveOrder(orderId, (active) => Order.cancel(active, CancelReason.Expired));
    orderOutbox.kick(order);
    await releaseUnits(order);
  }
}
