import { Listener, OrderStatus, PaymentCreatedEvent, Subjects } from '@ticketing/common';
import { changeActiveOrder, Order } from '../../models/order';
import { orderOutbox } from '../outbox';

/**
 * A payment went through: the order is complete and keeps its ticket. A payment that lost the race with
 * expiry (or was recorded late, after an outage) finds the order cancelled: orders asks for its refund.
 */
export class PaymentCreatedListener extends Listener<PaymentCreatedEvent> {
  readonly subject = Subjects.PaymentCreated;

  async onMessage({ id: paymentId, orderId }: PaymentCreatedEvent['data']): Promise<void> {
    const order = await changeActiveOrder(orderId, (order) => Order.complete(order));
    if (order.status !== OrderStatus.Cancelled) return;
    const requested = await Order.requestRefund(order, paymentId);
    if (requested) orderOutbox.kick(requested);
  }
}
