import mongoose, { HydratedDocument } from 'mongoose';
import { apiJSONWithout } from '@ticketing/common';

/** This service's replica of a ticket, kept by ticket:created and ticket:updated under the ticket's own id. */
export interface TicketFields {
  title: string;
  price: number;
  /** The seller, who may not order their own ticket. */
  userId: string;
  version: number;
}

export type TicketDoc = HydratedDocument<TicketFields>;

const ticketSchema = new mongoose.Schema<TicketFields>(
  {
    title: { type: String, required: true },
    price: { type: Number, required: true },
    userId: { type: String, required: true },
    version: { type: Number, required: true },
  },
  {
    // Shown inside an order as {id, title, price}; replicatedAt says when ticket:created arrived (for `npm run bench`).
    timestamps: { createdAt: 'replicatedAt', updatedAt: false },
    toJSON: apiJSONWithout('version', 'replicatedAt', 'userId'),
  },
);

export const Ticket = mongoose.model<TicketFields>('Ticket', ticketSchema);
