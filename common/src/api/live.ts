/**
 * The messages GET /api/live pushes over its WebSocket, as docs/design.md's "Live updates" section gives them.
 * Types only, like the rest of `@ticketing/common/api`.
 */
import type { OrderStatus, PaymentStatus, QueueStatus } from './types';

/** Public: any ticket was created, edited, reserved or released. `remaining`: units for sale; `available`: remaining > 0. */
export interface TicketChangedMessage {
  type: 'ticket:changed';
  data: { id: string; title: string; price: number; available: boolean; remaining: number; version: number };
}

/** Private: one of the socket's user's orders changed status. */
export interface OrderChangedMessage {
  type: 'order:changed';
  data: { id: string; status: OrderStatus; ticketId: string };
}

/** Private: a payment for one of the socket's user's orders. */
export interface PaymentChangedMessage {
  type: 'payment:changed';
  data: { id: string; orderId: string; status: Exclude<PaymentStatus, 'pending'>; reason?: string };
}

/**
 * Private: the socket's user sold a ticket or gave a sale's money back. `amountCents` is signed as in the
 * ledger (GET /api/balances/me/entries): negative for a refund.
 */
export interface SaleChangedMessage {
  type: 'sale:changed';
  data: { orderId: string; amountCents: number; kind: 'sale' | 'refund' };
}

export type LiveMessage = TicketChangedMessage | OrderChangedMessage | PaymentChangedMessage | SaleChangedMessage;

/**
 * The close code of a socket refused because its user already has as many open as allowed: the client
 * does not reconnect after it. A type, as this module carries no values; each side declares its constant with it.
 */
export type TooManySocketsCloseCode = 4008;

/**
 * What GET /api/queue/:ticketId/ws pushes to a buyer in that waiting room: `queue:status` at least every
 * 2 s while waiting, and at once (within 1 s) when the buyer is admitted or the admission ends.
 */
export interface QueueStatusMessage {
  type: 'queue:status';
  data: QueueStatus;
}
