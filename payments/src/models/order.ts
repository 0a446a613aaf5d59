import mongoose, { HydratedDocument } from 'mongoose';
import { apiJSON, OrderStatus, SaleItem } from '@ticketing/common';

/**
 * What payments knows of an order, kept from order:created and order:cancelled and
 * versioned as the orders service writes them. Its _id is the order's id there.
 */
export interface OrderFields extends SaleItem {
  version: number;
  userId: string;
  /** The ticket's seller, named in payment:created and payment:refunded for their balance. */
  sellerId: string;
  /** One unit's price when the order was placed. */
  price: number;
  /** What the order costs, in cents: what is charged. */
  totalCents: number;
  status: OrderStatus;
  /** After this (and a short grace) the order is not paid for, whether or not its expiry has arrived. */
  expiresAt: Date;
  /** The waiting-room admission the order was placed with, named in payment:created so the queue frees its slot. */
  admissionId?: string;
  // SaleItem: the listing (its title when the order was placed) and the units, which the payment's events name.
}

/** What a payment's events say it paid for, kept on the order replica and the payment alike. */
export const saleItemFields = {
  ticket: { type: new mongoose.Schema({ id: String, title: String }, { _id: false }) },
  quantity: { type: Number },
};

/** The listing and units of a record that has them (one replicated before events carried them has not). */
export const saleItemOf = ({ ticket, quantity }: SaleItem): SaleItem => ({
  ...(ticket && { ticket: { id: ticket.id, title: ticket.title } }),
  ...(quantity !== undefined && { quantity }),
});

const orderSchema = new mongoose.Schema<OrderFields>(
  {
    version: { type: Number, required: true },
    userId: { type: String, required: true },
    sellerId: { type: String, required: true },
    price: { type: Number, required: true },
    totalCents: { type: Number, required: true },
    status: { type: String, enum: Object.values(OrderStatus), required: true },
    expiresAt: { type: Date, required: true },
    admissionId: { type: String },
    ...saleItemFields,
  },
  // replicatedAt says when order:created arrived (for `npm run bench`).
  { timestamps: { createdAt: 'replicatedAt', updatedAt: false }, toJSON: apiJSON },
);

export type OrderDoc = HydratedDocument<OrderFields>;

export const Order = mongoose.model<OrderFields>('Order', orderSchema);
