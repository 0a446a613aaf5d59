import { PaymentRefundedEvent, Subjects } from '@ticketing/common';
import { LiveListener } from './live-listener';
import { paymentChanged, pushToOwner, pushToSeller } from './messages';

/** The charge of a cancelled order went back: the buyer hears of the payment, the seller of the refund. */
export class PaymentRefundedListener extends LiveListener<PaymentRefundedEvent> {
  readonly subject = Subjects.PaymentRefunded;

  protected push(data: PaymentRefundedEvent['data']): void {
    pushToOwner(this.context, data.orderId, () => paymentChanged(data, 'refunded'));
    pushToSeller(this.context, data.sellerId, { orderId: data.orderId, amountCents: -data.amountCents, kind: 'refund' });
  }
}
