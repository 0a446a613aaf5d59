import mongoose, { HydratedDocument } from 'mongoose';
import { apiJSONWithout, ListingFields } from '@ticketing/common';

/** This service's replica of a ticket, kept by ticket:created and ticket:updated under the ticket's own id. */
export interface TicketFields {
  title: string;
  /** One unit's price. */
  price: number;
  /** The seller, who may not order their own ticket. */
  userId: string;
  version: number;
  /** Units for sale; the stock (services/stock.ts) counts those held. */
  quantity: number;
  /** Orders before it are refused; null: on sale now. */
  onSaleAt: Date | null;
  /** Orders need an admission token from the queue service; null: no waiting room. */
  waitingRoom: { activeBuyers: number } | null;
  /** Units one buyer may hold across their open and paid orders on it (the buyer's chain in services/stock.ts). */
  limitPerBuyer: number;
}

export type TicketDoc = HydratedDocument<TicketFields>;

const ticketSchema = new mongoose.Schema<TicketFields>(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true },
    userId: { type: String, required: true },
    version: { type: Number, required: true },
    quantity: { type: Number, required: true, default: 1 },
    onSaleAt: { type: Date, default: null },
    waitingRoom: { type: new mongoose.Schema({ activeBuyers: { type: Number, required: true } }, { _id: false }), default: null },
    limitPerBuyer: { type: Number, required: true, default: 4 },
  },
  {
    // Shown inside an order as {id, title, price}; replicatedAt says when ticket:created arrived (for `npm run bench`).
    timestamps: { createdAt: 'replicatedAt', updatedAt: false },
    toJSON: apiJSONWithout('version', 'replicatedAt', 'userId', 'quantity', 'onSaleAt', 'waitingRoom', 'limitPerBuyer'),
  },
);

export const Ticket = mongoose.model<TicketFields>('Ticket', ticketSchema);

/** The listing fields of ticket:created/updated as the replica stores them. */
export const listingFieldsOf = ({ quantity, onSaleAt, waitingRoom, limitPerBuyer }: ListingFields) => ({
  quantity,
  limitPerBuyer,
  onSaleAt: onSaleAt ? new Date(onSaleAt) : null,
  waitingRoom: waitingRoom ? { activeBuyers: waitingRoom.activeBuyers } : null,
});
