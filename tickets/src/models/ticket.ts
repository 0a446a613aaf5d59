import mongoose, { HydratedDocument, QueryFilter, UpdateQuery } from 'mongoose';
import {
  apiJSONWithout,
  HasOutbox,
  outboxEntry,
  outboxField,
  ReservationRejectedEvent,
  Subjects,
  TicketUpdatedEvent,
  updateIfCurrent,
} from '@ticketing/common';

/** A listing's limit per buyer when the seller names none. */
export const DEFAULT_LIMIT_PER_BUYER = 4;

/** What a seller sets on a listing. */
export interface ListingAttrs {
  title: string;
  /** One unit's price. */
  price: number;
  /** Units for sale. */
  quantity: number;
  /** Orders before it are refused; null: on sale now. */
  onSaleAt: Date | null;
  /** Buyers go through the queue service's waiting room; null: none. */
  waitingRoom: { activeBuyers: number } | null;
  /** Units one buyer may hold across their open and paid orders (orders enforces it). */
  limitPerBuyer: number;
}

export interface TicketAttrs extends Pick<ListingAttrs, 'title' | 'price'>, Partial<Omit<ListingAttrs, 'title' | 'price'>> {
  userId: string;
}

/** Units an order holds (active or paid), as order:created said. */
export interface Hold {
  orderId: string;
  quantity: number;
}

export interface TicketFields extends ListingAttrs, HasOutbox {
  userId: string;
  version: number;
  /** Units not held by an order: quantity − Σ holds. A view of orders' stock, which decides; see docs/design.md. */
  available: number;
  /** The orders holding units, active or paid (at most `quantity`); a cancellation removes its order's. */
  holds: Hold[];
  /** The version that last changed `quantity`: an order placed against an older one may count on units gone. */
  quantityVersion: number;
}

export type TicketDoc = HydratedDocument<TicketFields>;

type TicketChanges = Partial<Pick<TicketFields, keyof ListingAttrs | 'available'>>;

/**
 * Every change is one compare-and-set on the version that was read, stored
 * together with its ticket:updated event; each resolves null when it lost a race.
 */
interface TicketModel extends mongoose.Model<TicketFields> {
  /** A new ticket whose ticket:created event is stored with it. */
  build(attrs: TicketAttrs): TicketDoc;
  /** The seller's edit; quantity must leave room for what is held (the route refuses it while anything is). */
  edit(ticket: TicketDoc, changes: Partial<ListingAttrs>): Promise<TicketDoc | null>;
  reserve(ticket: TicketDoc, hold: Hold): Promise<TicketDoc | null>;
  release(ticket: TicketDoc, orderId: string): Promise<TicketDoc | null>;
  /** Refuses an order placed against an older version: reservation:rejected queued (the caller then remembers it cancelled). */
  rejectOrder(ticket: TicketDoc, order: { id: string; price: number }): Promise<TicketDoc | null>;
}

const ticketSchema = new mongoose.Schema<TicketFields, TicketModel>(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true },
    userId: { type: String, required: true },
    version: { type: Number, required: true, default: 0 },
    quantity: { type: Number, required: true },
    available: { type: Number, required: true },
    onSaleAt: { type: Date, default: null },
    waitingRoom: { type: new mongoose.Schema({ activeBuyers: { type: Number, required: true } }, { _id: false }), default: null },
    limitPerBuyer: { type: Number, required: true, default: DEFAULT_LIMIT_PER_BUYER },
    holds: { type: [new mongoose.Schema<Hold>({ orderId: String, quantity: Number }, { _id: false })], default: [] },
    quantityVersion: { type: Number, default: 0 },
    outbox: outboxField,
  },
  { toJSON: apiJSONWithout('holds', 'quantityVersion') },
);

/** The units the order holds, if any. */
export const holdOf = (ticket: TicketDoc, orderId: string): Hold | undefined => ticket.holds.find((hold) => hold.orderId === orderId);

/** Units held by active and paid orders. */
export const heldUnits = (ticket: TicketDoc) => ticket.quantity - ticket.available;

/** The data of ticket:created / ticket:updated for the ticket at `version`, with `changes` applied. */
const eventData = (ticket: TicketDoc, version: number, changes: TicketChanges = {}): TicketUpdatedEvent['data'] => {
  const { title, price, quantity, available, onSaleAt, waitingRoom, limitPerBuyer } = {
    title: ticket.title,
    price: ticket.price,
    quantity: ticket.quantity,
    available: ticket.available,
    onSaleAt: ticket.onSaleAt,
    waitingRoom: ticket.waitingRoom,
    limitPerBuyer: ticket.limitPerBuyer,
    ...changes,
  };
  return {
    id: ticket.id,
    version,
    title,
    price,
    userId: ticket.userId,
    quantity,
    available,
    onSaleAt: onSaleAt ? onSaleAt.toISOString() : null,
    waitingRoom: waitingRoom ? { activeBuyers: waitingRoom.activeBuyers } : null,
    limitPerBuyer,
  };
};

const updateTicket = (
  ticket: TicketDoc,
  changes: TicketChanges,
  update: UpdateQuery<TicketFields>,
  where: QueryFilter<TicketFields> = {},
) =>
  updateIfCurrent(Ticket, ticket, {
    update,
    where,
    event: outboxEntry(Subjects.TicketUpdated, eventData(ticket, ticket.version + 1, changes)),
  });

ticketSchema.statics.build = (attrs: TicketAttrs) => {
  const quantity = attrs.quantity ?? 1;
  const ticket = new Ticket({ ...attrs, quantity, available: quantity });
  ticket.outbox.push(outboxEntry(Subjects.TicketCreated, eventData(ticket, ticket.version)));
  return ticket;
};

ticketSchema.statics.edit = (ticket: TicketDoc, changes: Partial<ListingAttrs>) => {
  const { title, price, quantity, onSaleAt, waitingRoom, limitPerBuyer } = ticket;
  const listing: ListingAttrs = { title, price, quantity, onSaleAt, waitingRoom, limitPerBuyer, ...changes };
  const available = listing.quantity - heldUnits(ticket);
  const quantityVersion = listing.quantity === ticket.quantity ? ticket.quantityVersion : ticket.version + 1;
  return updateTicket(ticket, { ...listing, available }, { $set: { ...listing, available, quantityVersion } });
};

ticketSchema.statics.reserve = (ticket: TicketDoc, { orderId, quantity }: Hold) => {
  const available = ticket.available - quantity;
  return updateTicket(ticket, { available }, { $set: { available }, $push: { holds: { orderId, quantity } } });
};

ticketSchema.statics.release = (ticket: TicketDoc, orderId: string) => {
  const hold = holdOf(ticket, orderId);
  const available = ticket.available + (hold?.quantity ?? 0);
  return updateTicket(
    ticket,
    { available },
    {
      $set: { available },
      // The whole element: FerretDB's $pull matches values, not conditions.
      ...(hold && { $pull: { holds: { orderId: hold.orderId, quantity: hold.quantity } } }),
    },
  );
};

ticketSchema.statics.rejectOrder = (ticket: TicketDoc, order: { id: string; price: number }) => {
  const rejected: ReservationRejectedEvent['data'] = { orderId: order.id, ticket: { id: ticket.id, price: order.price } };
  // On the version read: an edit landing meanwhile makes the caller read again and decide anew.
  return Ticket.findOneAndUpdate(
    { _id: ticket._id, version: ticket.version },
    { $push: { outbox: outboxEntry(Subjects.ReservationRejected, rejected) } },
    { returnDocument: 'after' },
  );
};

export const Ticket = mongoose.model<TicketFields, TicketModel>('Ticket', ticketSchema);

/** What a page shows: the bookkeeping (outbox, holds, cancelled orders) stays in the database. */
const PAGE_FIELDS = { outbox: 0, holds: 0, cancelledOrderIds: 0, quantityVersion: 0 };

/**
 * Listings with units for sale, newest first, older than the ticket `cursor` names: read along the _id
 * index, never sorted in memory (MongoDB's `_id_`; FerretDB's with local/scripts/ferretdb-sqlite-id-order.patch).
 * Sold-out listings newer than the page's last one are read and passed over.
 */
export const forSalePage = (limit: number, cursor?: string) =>
  Ticket.find({ available: { $gt: 0 }, ...(cursor && { _id: { $lt: cursor } }) }, PAGE_FIELDS)
    .sort({ _id: -1 })
    .limit(limit);

/** One listing by id, from the _id index. */
export const ticketPage = (id: string) => Ticket.findById(id, PAGE_FIELDS);
