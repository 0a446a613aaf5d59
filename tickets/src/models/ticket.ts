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

export interface TicketAttrs {
  title: string;
  price: number;
  userId: string;
}

export interface TicketFields extends TicketAttrs, HasOutbox {
  version: number;
  /** The order holding the ticket; absent while it is for sale. */
  orderId?: string;
  /** Orders seen cancelled: their order:created, should it arrive late or again, must not reserve the ticket. */
  cancelledOrderIds: string[];
}

export type TicketDoc = HydratedDocument<TicketFields>;

type TicketChanges = Partial<Pick<TicketFields, 'title' | 'price' | 'orderId'>>;

/**
 * Every change is one compare-and-set on the version that was read, stored
 * together with its ticket:updated event; each resolves null when it lost a race.
 */
interface TicketModel extends mongoose.Model<TicketFields> {
  /** A new ticket whose ticket:created event is stored with it. */
  build(attrs: TicketAttrs): TicketDoc;
  edit(ticket: TicketDoc, changes: Pick<TicketAttrs, 'title' | 'price'>): Promise<TicketDoc | null>;
  reserve(ticket: TicketDoc, orderId: string): Promise<TicketDoc | null>;
  release(ticket: TicketDoc): Promise<TicketDoc | null>;
  /** Notes a cancelled order that does not hold the ticket; no version change, nothing to publish. */
  rememberCancelled(ticket: TicketDoc, orderId: string): Promise<TicketDoc | null>;
  /** Refuses an order priced from an older version: remembered as cancelled, reservation:rejected queued. */
  rejectOrder(ticket: TicketDoc, order: { id: string; price: number }): Promise<TicketDoc | null>;
}

const ticketSchema = new mongoose.Schema<TicketFields, TicketModel>(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true },
    userId: { type: String, required: true },
    version: { type: Number, required: true, default: 0 },
    orderId: { type: String },
    cancelledOrderIds: { type: [String], default: [] },
    outbox: outboxField,
  },
  { toJSON: apiJSONWithout('cancelledOrderIds') },
);

/** The ticket as ticket:created / ticket:updated describe it at `version`, with `changes` applied. */
const describe = (ticket: TicketDoc, version: number, changes: TicketChanges = {}): TicketUpdatedEvent['data'] => {
  const { title, price, orderId } = { title: ticket.title, price: ticket.price, orderId: ticket.orderId, ...changes };
  return { id: ticket.id, version, title, price, userId: ticket.userId, ...(orderId !== undefined && { orderId }) };
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
    event: outboxEntry(Subjects.TicketUpdated, describe(ticket, ticket.version + 1, changes)),
  });

ticketSchema.statics.build = (attrs: TicketAttrs) => {
  const ticket = new Ticket(attrs);
  ticket.outbox.push(outboxEntry(Subjects.TicketCreated, describe(ticket, ticket.version)));
  return ticket;
};

ticketSchema.statics.edit = (ticket: TicketDoc, { title, price }: Pick<TicketAttrs, 'title' | 'price'>) =>
  updateTicket(ticket, { title, price }, { $set: { title, price } });

ticketSchema.statics.reserve = (ticket: TicketDoc, orderId: string) =>
  updateTicket(ticket, { orderId }, { $set: { orderId } }, { cancelledOrderIds: { $ne: orderId } });

ticketSchema.statics.release = (ticket: TicketDoc) =>
  updateTicket(ticket, { orderId: undefined }, { $unset: { orderId: 1 }, $addToSet: { cancelledOrderIds: ticket.orderId } });

ticketSchema.statics.rememberCancelled = async (ticket: TicketDoc, orderId: string) => {
  // Only while the order does not hold it; if its reservation landed meanwhile, the caller reads again and releases.
  const { matchedCount } = await Ticket.updateOne(
    { _id: ticket._id, orderId: { $ne: orderId } },
    { $addToSet: { cancelledOrderIds: orderId } },
  );
  return matchedCount === 1 ? ticket : null;
};

ticketSchema.statics.rejectOrder = (ticket: TicketDoc, order: { id: string; price: number }) => {
  const rejected: ReservationRejectedEvent['data'] = { orderId: order.id, ticket: { id: ticket.id, price: order.price } };
  // On the version read: an edit landing meanwhile makes the caller read again and decide anew.
  return Ticket.findOneAndUpdate(
    { _id: ticket._id, version: ticket.version, orderId: { $exists: false } },
    { $addToSet: { cancelledOrderIds: order.id }, $push: { outbox: outboxEntry(Subjects.ReservationRejected, rejected) } },
    { returnDocument: 'after' },
  );
};

export const Ticket = mongoose.model<TicketFields, TicketModel>('Ticket', ticketSchema);
