import { OrderStatus, PaymentCreatedEvent, Subjects } from '@ticketing/common';
import { LiveListener } from './live-listener';
import { orderChanged, paymentChanged, pushToOwner, pushToSeller } from './messages';

/**
 * Orders completes the order on this event; its owner hears of both the payment and the order, and the
 * seller of the sale.
 */
export class PaymentCreatedListener extends LiveListener<PaymentCreatedEvent> {
  readonly subject = Subjects.PaymentCreated;

  protected push(data: PaymentCreatedEvent['data']): void {
    pushToOwner(this.context, data.orderId, () => paymentChanged(data, 'succeeded'));
    pushToOwner(this.context, data.orderId, (owner) => orderChanged(data.orderId, OrderStatus.Complete, owner.ticketId));
    pushToSeller(this.context, data.sellerId, { orderId: data.orderId, amountCents: data.amountCents, kind: 'sale' });
  }
}
