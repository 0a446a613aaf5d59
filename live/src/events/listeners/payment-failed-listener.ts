import { PaymentFailedEvent, Subjects } from '@ticketing/common';
import { LiveListener } from './live-listener';
import { paymentChanged, pushToOwner } from './messages';

/** A declined card: the buyer sees why, and the order stays open for another card. */
export class PaymentFailedListener extends LiveListener<PaymentFailedEvent> {
  readonly subject = Subjects.PaymentFailed;

  protected push(data: PaymentFailedEvent['data']): void {
    pushToOwner(this.context, data.orderId, () => paymentChanged(data, 'failed', data.reason));
  }
}
