import { Listener, PaymentCreatedEvent, Subjects } from '@ticketing/common';
import { rememberSold } from '../../models/sold-order';

/** An order was paid for: its units count as sold on the seller's listing (My listings), no longer as held. */
export class PaymentCreatedListener extends Listener<PaymentCreatedEvent> {
  readonly subject = Subjects.PaymentCreated;

  async onMessage({ orderId, ticket, quantity }: PaymentCreatedEvent['data']): Promise<void> {
    // Published before payment events named their listing: nothing to count it on.
    if (!ticket || quantity === undefined) return;
    await rememberSold({ _id: orderId, ticketId: ticket.id, quantity });
  }
}
