import { applyFinalVersion, Listener, OrderCancelledEvent, OrderStatus, Subjects } from '@ticketing/common';
import { Order } from '../../models/order';
import { markRefundDue } from '../../services/refund';

export class OrderCancelledListener extends Listener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  async onMessage(data: OrderCancelledEvent['data']): Promise<void> {
    // Final, so it may skip versions: orders cancels a paid order (reservation:rejected) two versions on,
    // the completion between them being no event of payments'.
    await applyFinalVersion(Order, data.id, data.version, { status: OrderStatus.Cancelled });
    // Also on a duplicate: the delivery that applied the cancellation may have died before this write.
    await markRefundDue({ orderId: data.id });
  }
}
