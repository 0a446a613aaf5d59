import { PaymentCreatedEvent, PaymentRefundedEvent, Subjects } from '@ticketing/common';
import { EntryKind } from '../../models/entry';

type PaymentData = PaymentCreatedEvent['data'] | PaymentRefundedEvent['data'];

export const ledgerEvent = (
  subject: Subjects,
  kind: EntryKind,
  { id, orderId, sellerId, amountCents, currency, ticket, quantity }: PaymentData,
) => ({
  key: `${subject}:${id}`,
  kind,
  paymentId: id,
  orderId,
  sellerId,
  amountCents,
  currency,
  ...(ticket && { ticket: { id: ticket.id, title: ticket.title } }),
  ...(quantity !== undefined && { quantity }),
});
