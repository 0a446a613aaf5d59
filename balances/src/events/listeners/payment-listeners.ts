import { Listener, PaymentCreatedEvent, PaymentRefundedEvent, Subjects } from '@ticketing/common';
import { EntryKind } from '../../models/entry';
import { recordLedgerEvent } from '../../services/ledger';

type PaymentData = PaymentCreatedEvent['data'] | PaymentRefundedEvent['data'];

const ledgerEvent = (subject: Subjects, kind: EntryKind, { id, orderId, sellerId, amountCents, currency }: PaymentData) => ({
  key: `${subject}:${id}`,
  kind,
  paymentId: id,
  orderId,
  sellerId,
  amountCents,
  currency,
});

/** A charge: the seller's sale. */
export class PaymentCreatedListener extends Listener<PaymentCreatedEvent> {
  readonly subject = Subjects.PaymentCreated;

  onMessage(data: PaymentCreatedEvent['data']): Promise<void> {
    return recordLedgerEvent(ledgerEvent(this.subject, EntryKind.Sale, data));
  }
}

/** A refund of a charge: the sale taken back from the seller. */
export class PaymentRefundedListener extends Listener<PaymentRefundedEvent> {
  readonly subject = Subjects.PaymentRefunded;

  onMessage(data: PaymentRefundedEvent['data']): Promise<void> {
    return recordLedgerEvent(ledgerEvent(this.subject, EntryKind.Refund, data));
  }
}
