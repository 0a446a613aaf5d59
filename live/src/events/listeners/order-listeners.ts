import {
  OrderCancelledEvent,
  OrderCreatedEvent,
  OrderStatus,
  PaymentCreatedEvent,
  PaymentFailedEvent,
  PaymentRefundedEvent,
  Subjects,
} from '@ticketing/common';
import type { LiveMessage, OrderChangedMessage, PaymentChangedMessage, SaleChangedMessage } from '@ticketing/common/api';
import type { OrderOwner } from '../order-owners';
import type { LiveContext } from './live-listener';
import { LiveListener } from './live-listener';

const orderChanged = (id: string, status: OrderStatus, ticketId: string): OrderChangedMessage => ({
  type: 'order:changed',
  data: { id, status, ticketId },
});

/** The one event that names the order's owner: it is remembered for the events that do not. */
export class OrderCreatedListener extends LiveListener<OrderCreatedEvent> {
  readonly subject = Subjects.OrderCreated;
  protected override readonly replays = true;

  protected override remember(data: OrderCreatedEvent['data'], publishedAt: number): void {
    this.context.owners.remember(data.id, { userId: data.userId, ticketId: data.ticket.id }, publishedAt);
  }

  protected push(data: OrderCreatedEvent['data']): void {
    this.context.hub.publishTo(data.userId, orderChanged(data.id, OrderStatus.Created, data.ticket.id));
  }
}

const paymentChanged = (
  { id, orderId }: { id: string; orderId: string },
  status: PaymentChangedMessage['data']['status'],
  reason?: string,
): PaymentChangedMessage => ({ type: 'payment:changed', data: { id, orderId, status, ...(reason !== undefined && { reason }) } });

/** An order whose owner is not known (older than the owners' window) reaches nobody: no guessing. */
const pushToOwner = (context: LiveContext, orderId: string, message: (owner: OrderOwner) => LiveMessage) => {
  const owner = context.owners.get(orderId);
  if (owner) context.hub.publishTo(owner.userId, message(owner));
};

export class OrderCancelledListener extends LiveListener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  protected push(data: OrderCancelledEvent['data']): void {
    pushToOwner(this.context, data.id, () => orderChanged(data.id, OrderStatus.Cancelled, data.ticket.id));
  }
}

/** The seller is named by the event itself, so this reaches them even when the order's owner is not known. */
const pushToSeller = (context: LiveContext, sellerId: string, data: SaleChangedMessage['data']) =>
  context.hub.publishTo(sellerId, { type: 'sale:changed', data });

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

/** A declined card: the buyer sees why, and the order stays open for another card. */
export class PaymentFailedListener extends LiveListener<PaymentFailedEvent> {
  readonly subject = Subjects.PaymentFailed;

  protected push(data: PaymentFailedEvent['data']): void {
    pushToOwner(this.context, data.orderId, () => paymentChanged(data, 'failed', data.reason));
  }
}

/** The charge of a cancelled order went back: the buyer hears of the payment, the seller of the refund. */
export class PaymentRefundedListener extends LiveListener<PaymentRefundedEvent> {
  readonly subject = Subjects.PaymentRefunded;

  protected push(data: PaymentRefundedEvent['data']): void {
    pushToOwner(this.context, data.orderId, () => paymentChanged(data, 'refunded'));
    pushToSeller(this.context, data.sellerId, { orderId: data.orderId, amountCents: -data.amountCents, kind: 'refund' });
  }
}
