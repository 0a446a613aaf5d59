import { InvalidMessageError, Listener, RefundRequestedEvent, Subjects } from '@ticketing/common';
import { markRefundDue } from '../../services/refund';

/**
 * Orders found the order of a charge cancelled: the refund is due, as on order:cancelled (which may
 * have been parked, or not yet handled). Idempotent: the refund's key makes it one refund.
 */
export class RefundRequestedListener extends Listener<RefundRequestedEvent> {
  readonly subject = Subjects.RefundRequested;

  async onMessage({ orderId, paymentId }: RefundRequestedEvent['data']): Promise<void> {
    const payment = await markRefundDue({ orderId, _id: paymentId });
    if (!payment)
      throw new InvalidMessageError(`refund:requested names payment ${paymentId} of order ${orderId}, which payments never made`);
  }
}
