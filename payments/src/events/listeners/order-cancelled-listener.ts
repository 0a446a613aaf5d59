import { applyVersion, Listener, OrderCancelledEvent, OrderStatus, Subjects } from '@ticketing/common';
import { Order } from '../../models/order';
import { refundPayment } from '../../services/refund';

export class OrderCancelledListener extends Listener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  async onMessage(data: OrderCancelledEvent['data']): Promise<void> {
    await applyVersion(Order, data.id, data.version, { status: OrderStatus.Cancelled });
    // Also on a duplicate: the delivery that applied the cancellation may have failed to refund.
    await refundPayment(data.id);
  }
}
