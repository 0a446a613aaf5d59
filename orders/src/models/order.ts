import mongoose, { HydratedDocument, Types } from 'mongoose';
import {
  activeOrderStatuses,
  apiJSONWithout,
  CancelReason,
  HasOutbox,
  isDuplicateKey,
  InvalidMessageError,
  OrderCancelledEvent,
  OrderStatus,
  outboxEntry,
  outboxField,
  retryOnConflict,
  Subjects,
  toCents,
  updateIfCurrent,
} from '@ticketing/common';
import type { TicketDoc } from './ticket';

export interface OrderFields extends HasOutbox {
  userId: string;
  status: OrderStatus;
  /** Set with status cancelled: by the buyer, expired, or rejected for the seller's change. */
  cancelReason?: CancelReason;
  expiresAt: Date;
  version: number;
  /** One unit's price when the order was placed, whatever the ticket costs later. */
  price: number;
  /** Units ordered (1–4). */
  quantity: number;
  /** What the buyer pays: quantity × price in exact integer cents. */
  totalCents: number;
  ticket: Types.ObjectId;
  /**
   * True from creation until the order's units are given back to the stock after it is
   * cancelled; the repair pass finds a cancelled order that still holds (a crash between the two writes).
   */
  holding?: boolean;
  /** The waiting-room admission it was placed with (AdmissionUse makes it one order per admission). */
  admissionId?: string;
  /** A placeholder the repair pass stored under the id of an order never stored, whose units it gave back. */
  abandoned?: boolean;
  /** The payment orders asked payments to refund, once: it was charged after the order was cancelled. */
  refundRequestedFor?: string;
}

export type OrderDoc = HydratedDocument<OrderFields>;

interface OrderAttrs {
  userId: string;
  ticket: TicketDoc;
  expiresAt: Date;
  quantity?: number;
  admissionId?: string;
}

/** Writes after creation are compare-and-sets on the version read; each resolves null when it lost a race. */
interface OrderModel extends mongoose.Model<OrderFields> {
  /** A new order for `quantity` units of `ticket`, its order:created event stored with it. */
  build(attrs: OrderAttrs): OrderDoc;
  /** Cancelled for `reason` and order:cancelled queued, in one write; its units then go back with releaseUnits. */
  cancel(order: OrderDoc, reason: CancelReason): Promise<OrderDoc | null>;
  /** Paid; the order keeps holding its ticket. */
  complete(order: OrderDoc): Promise<OrderDoc | null>;
  /**
   * A cancelled order's payment went through: refund:requested queued, in one write, once per payment;
   * null if it was already requested. The order's version stays: nothing replicated changed.
   */
  requestRefund(order: OrderDoc, paymentId: string): Promise<OrderDoc | null>;
}

const orderSchema = new mongoose.Schema<OrderFields, OrderModel>(
  {
    userId: { type: String, required: true, index: true },
    status: { type: String, required: true, enum: Object.values(OrderStatus), default: OrderStatus.Created },
    cancelReason: { type: String, enum: Object.values(CancelReason) },
    expiresAt: { type: Date, required: true },
    version: { type: Number, required: true, default: 0 },
    price: { type: Number, required: true },
    quantity: { type: Number, required: true },
    totalCents: { type: Number, required: true },
    ticket: { type: mongoose.Schema.Types.ObjectId, ref: 'Ticket', required: true },
    holding: { type: Boolean },
    admissionId: { type: String },
    abandoned: { type: Boolean },
    refundRequestedFor: { type: String },
    outbox: outboxField,
  },
  { toJSON: apiJSONWithout('holding', 'admissionId', 'refundRequestedFor') },
);
// The fallback sweep for expired orders reads by status and expiresAt.
orderSchema.index({ status: 1, expiresAt: 1 });

/** The ticket's id, whether or not `ticket` is populated. */
export const ticketIdOf = (order: OrderDoc) => String(order.populated('ticket') ?? order.ticket);

const isActive = (order: OrderDoc) => (activeOrderStatuses as readonly OrderStatus[]).includes(order.status);

orderSchema.statics.build = ({ userId, ticket, expiresAt, quantity = 1, admissionId }: OrderAttrs) => {
  const totalCents = toCents(ticket.price) * quantity;
  const order = new Order({
    userId,
    status: OrderStatus.Created,
    expiresAt,
    price: ticket.price,
    quantity,
    totalCents,
    ticket,
    holding: true,
    ...(admissionId && { admissionId }),
  });
  order.outbox.push(
    outboxEntry(Subjects.OrderCreated, {
      id: order.id,
      version: order.version,
      status: order.status,
      userId,
      expiresAt: expiresAt.toISOString(),
      ticket: { id: ticket.id, price: order.price, sellerId: ticket.userId, version: ticket.version, title: ticket.title },
      quantity,
      totalCents,
      ...(admissionId && { admissionId }),
    }),
  );
  return order;
};

orderSchema.statics.cancel = (order: OrderDoc, reason: CancelReason) => {
  const cancelled: OrderCancelledEvent['data'] = {
    id: order.id,
    version: order.version + 1,
    ticket: { id: ticketIdOf(order) },
    ...(order.admissionId && { admissionId: order.admissionId }),
  };
  return updateIfCurrent(Order, order, {
    update: { $set: { status: OrderStatus.Cancelled, cancelReason: reason } },
    event: outboxEntry(Subjects.OrderCancelled, cancelled),
  });
};

orderSchema.statics.complete = (order: OrderDoc) => updateIfCurrent(Order, order, { update: { $set: { status: OrderStatus.Complete } } });

orderSchema.statics.requestRefund = (order: OrderDoc, paymentId: string) =>
  Order.findOneAndUpdate(
    { _id: order._id, status: OrderStatus.Cancelled, refundRequestedFor: { $ne: paymentId } },
    {
      $set: { refundRequestedFor: paymentId },
      $push: {
        outbox: outboxEntry(Subjects.RefundRequested, { orderId: order.id, paymentId, reason: 'charged after the order was cancelled' }),
      },
    },
    { returnDocument: 'after' },
  );

export const Order = mongoose.model<OrderFields, OrderModel>('Order', orderSchema);

/** Only duplicate ids refused the inserts: the orders (or placeholders) stored before. */
const onlyDuplicates = (err: unknown): boolean => {
  const writeErrors = (err as { writeErrors?: { code?: number }[] }).writeErrors;
  return isDuplicateKey(err) && Array.isArray(writeErrors) && writeErrors.every((writeError) => writeError.code === 11000);
};

/**
 * Stores a cancelled placeholder under the id of each order never stored (no user, no ticket: no route or scan
 * finds it), in one write, so that the order can no longer be: its late insert fails on the `_id`. Resolves to
 * the ids abandoned now (by this call or an earlier one); an order stored first keeps its id.
 */
export const abandonOrders = async (orderIds: string[]): Promise<Set<string>> => {
  if (orderIds.length === 0) return new Set();
  const ids = orderIds.map((id) => new Types.ObjectId(id));
  try {
    await Order.collection.insertMany(
      ids.map((_id) => ({ _id, status: OrderStatus.Cancelled, abandoned: true, version: 0 })),
      { ordered: false },
    );
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
  const abandoned = await Order.find({ _id: { $in: ids }, abandoned: true })
    .select('_id')
    .lean();
  return new Set(abandoned.map(({ _id }) => String(_id)));
};

/**
 * Cancels the order whatever its status but cancelled: tickets refused to reserve for it, so even a
 * paid one gives its ticket up (payments refunds on order:cancelled). An unknown order throws.
 */
export const cancelUnlessCancelled = (orderId: string) =>
  retryOnConflict(async () => {
    const order = await Order.findById(orderId);
    if (!order) throw new InvalidMessageError(`unknown order ${orderId}`);
    return order.status === OrderStatus.Cancelled ? order : Order.cancel(order, CancelReason.Rejected);
  });

/**
 * Applies `change` to the order while it still holds its ticket, reading again after
 * a lost race; a paid or cancelled order is left as it is. An unknown order throws.
 */
export const changeActiveOrder = (orderId: string, change: (order: OrderDoc) => Promise<OrderDoc | null>) =>
  retryOnConflict(async () => {
    const order = await Order.findById(orderId);
    if (!order) throw new InvalidMessageError(`unknown order ${orderId}`);
    return isActive(order) ? change(order) : order;
  });
