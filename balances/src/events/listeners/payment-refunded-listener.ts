import { Listener, PaymentRefundedEvent, Subjects } from '@ticketing/common';
import { EntryKind } from '../../models/entry';
import { recordLedgerEvent } from '../../services/ledger';
import { ledgerEvent } from './ledger-event';

/** A refund of a charge: the sale taken back from the seller. */
export class PaymentRefundedListener extends Listener<PaymentRefundedEvent> {
  readonly subject = Subjects.PaymentRefunded;

  onMessage(data: PaymentRefundedEvent['data']): Promise<void> {
    return recordLedgerEvent(ledgerEvent(this.subject, EntryKind.Refund, data));
  }
}
