import mongoose, { HydratedDocument, Types } from 'mongoose';
import {
  activeOrderStatuses,
  apiJSONWithout,
  HasOutbox,
  OrderCancelledEvent,
  OrderStatus,
  outboxEntry,
  outboxField,
  retryOnConflict,
  Subjects,
  updateIfCurrent,
} from '@ticketing/common';
import type { TicketDoc } from './ticket';

export interface OrderFields extends HasOutbox {
  userId: string;
  status: OrderStatus;
  expiresAt: Date;
  version: number;
  /** What the buyer pays: the ticket's price when the order was placed, whatever the ticket costs later. */
  price: number;
  ticket: Types.ObjectId;
  /**
   * Unique: `ticket:<ticketId>` while the order holds its ticket (active or paid),
   * `released:<orderId>` once cancelled. Inserting a second holder of a ticket fails
   * on this index, which makes reserving a ticket one atomic compare-and-set.
   */
  lock: string;
}

export type OrderDoc = HydratedDocument<OrderFields>;

interface OrderAttrs {
  userId: string;
  ticket: TicketDoc;
  expiresAt: Date;
}

/** Writes after creation are compare-and-sets on the version read; each resolves null when it lost a race. */
interface OrderModel extends mongoose.Model<OrderFields> {
  /** A new order holding `ticket`, its order:created event stored with it. */
  build(attrs: OrderAttrs): OrderDoc;
  /** Cancelled, the ticket released and order:cancelled queued, in one write. */
  cancel(order: OrderDoc): Promise<OrderDoc | null>;
  /** Paid; the order keeps holding its ticket. */
  complete(order: OrderDoc): Promise<OrderDoc | null>;
}

const orderSchema = new mongoose.Schema<OrderFields, OrderModel>(
  {
    userId: { type: String, required: true, index: true },
    status: { type: String, required: true, enum: Object.values(OrderStatus), default: OrderStatus.Created },
    expiresAt: { type: Date, required: true },
    version: { type: Number, required: true, default: 0 },
    price: { type: Number, required: true },
    ticket: { type: mongoose.Schema.Types.ObjectId, ref: 'Ticket', required: true },
    lock: { type: String, required: true, unique: true },
    outbox: outboxField,
  },
  { toJSON: apiJSONWithout('lock') },
);
// The fallback sweep for expired orders reads by status and expiresAt.
orderSchema.index({ status: 1, expiresAt: 1 });

const ticketLock = (ticketId: string) => `ticket:${ticketId}`;
const releasedLock = (orderId: string) => `released:${orderId}`;

/** The ticket's id, whether or not `ticket` is populated. */
const ticketIdOf = (order: OrderDoc) => String(order.populated('ticket') ?? order.ticket);

const isActive = (order: OrderDoc) => (activeOrderStatuses as readonly OrderStatus[]).includes(order.status);

orderSchema.statics.build = ({ userId, ticket, expiresAt }: OrderAttrs) => {
  const order = new Order({ userId, status: OrderStatus.Created, expiresAt, price: ticket.price, ticket, lock: ticketLock(ticket.id) });
  order.outbox.push(
    outboxEntry(Subjects.OrderCreated, {
      id: order.id,
      version: order.version,
      status: order.status,
      userId,
      expiresAt: expiresAt.toISOString(),
      ticket: { id: ticket.id, price: order.price, sellerId: ticket.userId },
    }),
  );
  return order;
};

orderSchema.statics.cancel = (order: OrderDoc) => {
  const cancelled: OrderCancelledEvent['data'] = {
    id: order.id,
    version: order.version + 1,
    ticket: { id: ticketIdOf(order) },
  };
  return updateIfCurrent(Order, order, {
    update: { $set: { status: OrderStatus.Cancelled, lock: releasedLock(order.id) } },
    event: outboxEntry(Subjects.OrderCancelled, cancelled),
  });
};

orderSchema.statics.complete = (order: OrderDoc) => updateIfCurrent(Order, order, { update: { $set: { status: OrderStatus.Complete } } });

export const Order = mongoose.model<OrderFields, OrderModel>('Order', orderSchema);

/**
 * Cancels the order whatever its status but cancelled: tickets refused to reserve for it, so even a
 * paid one gives its ticket up (payments refunds on order:cancelled). An unknown order throws.
 */
export const cancelUnlessCancelled = (orderId: string) =>
  retryOnConflict(async () => {
    const order = await Order.findById(orderId);
    if (!order) throw new Error(`unknown order ${orderId}`);
    return order.status === OrderStatus.Cancelled ? order : Order.cancel(order);
  });

/**
 * Applies `change` to the order while it still holds its ticket, reading again after
 * a lost race; a paid or cancelled order is left as it is. An unknown order throws.
 */
export const changeActiveOrder = (orderId: string, change: (order: OrderDoc) => Promise<OrderDoc | null>) =>
  retryOnConflict(async () => {
    const order = await Order.findById(orderId);
    if (!order) throw new Error(`unknown order ${orderId}`);
    return isActive(order) ? change(order) : order;
  });
