import { applyFinalVersion, Listener, OrderCancelledEvent, OrderStatus, Subjects } from '@ticketing/common';
import { Order } from '../../models/order';
import { Payment, PaymentStatus } from '../../models/payment';
import type { StoredPayment } from '../../services/outcomes';
import { refunds } from '../../services/refund';

export class OrderCancelledListener extends Listener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  async onMessage(data: OrderCancelledEvent['data']): Promise<void> {
    // Final, so it may skip versions: orders cancels a paid order (reservation:rejected) two versions on,
    // the completion between them being no event of payments'.
    await applyFinalVersion(Order, data.id, data.version, { status: OrderStatus.Cancelled });
    // Also on a duplicate: the delivery that applied the cancellation may have died before this write.
    // One write, whatever the payment's state: on a succeeded payment it stores the refund as due; on a
    // pending one, the write that records its charge will read it.
    const payment = await Payment.findOneAndUpdate(
      { orderId: data.id },
      { $set: { orderCancelled: true } },
      { returnDocument: 'after' },
    ).lean<StoredPayment>();
    if (payment?.status === PaymentStatus.Succeeded) refunds.kick(payment);
  }
}
