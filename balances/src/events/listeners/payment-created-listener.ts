import { Listener, PaymentCreatedEvent, Subjects } from '@ticketing/common';
import { EntryKind } from '../../models/entry';
import { recordLedgerEvent } from '../../services/ledger';
import { ledgerEvent } from './ledger-event';

/** A charge: the seller's sale. */
export class PaymentCreatedListener extends Listener<PaymentCreatedEvent> {
  readonly subject = Subjects.PaymentCreated;

  onMessage(data: PaymentCreatedEvent['data']): Promise<void> {
    return recordLedgerEvent(ledgerEvent(this.subject, EntryKind.Sale, data));
  }
}
