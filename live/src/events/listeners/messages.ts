import { OrderStatus, TicketCreatedEvent, TicketUpdatedEvent } from '@ticketing/common';
import type { LiveMessage, OrderChangedMessage, PaymentChangedMessage, SaleChangedMessage } from '@ticketing/common/api';
import type { OrderOwner } from '../order-owners';
import type { LiveContext } from './live-listener';

type TicketData = TicketCreatedEvent['data'] | TicketUpdatedEvent['data'];

export const ticketChanged = ({ id, title, price, available, version }: TicketData) => ({
  type: 'ticket:changed' as const,
  data: { id, title, price, available: available > 0, remaining: available, version },
});

export const orderChanged = (id: string, status: OrderStatus, ticketId: string): OrderChangedMessage => ({
  type: 'order:changed',
  data: { id, status, ticketId },
});

export const paymentChanged = (
  { id, orderId }: { id: string; orderId: string },
  status: PaymentChangedMessage['data']['status'],
  reason?: string,
): PaymentChangedMessage => ({ type: 'payment:changed', data: { id, orderId, status, ...(reason !== undefined && { reason }) } });

/** An order whose owner is not known (older than the owners' window) reaches nobody: no guessing. */
export const pushToOwner = (context: LiveContext, orderId: string, message: (owner: OrderOwner) => LiveMessage) => {
  const owner = context.owners.get(orderId);
  if (owner) context.hub.publishTo(owner.userId, message(owner));
};

/** The seller is named by the event itself, so this reaches them even when the order's owner is not known. */
export const pushToSeller = (context: LiveContext, sellerId: string, data: SaleChangedMessage['data']) =>
  context.hub.publishTo(sellerId, { type: 'sale:changed', data });
