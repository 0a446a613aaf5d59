import mongoose, { HydratedDocument } from 'mongoose';
import { apiJSON, OrderStatus } from '@ticketing/common';

/**
 * What payments knows of an order, kept from order:created and order:cancelled and
 * versioned as the orders service writes them. Its _id is the order's id there.
 */
export interface OrderFields {
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
}

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
  },
  // replicatedAt says when order:created arrived (for `npm run bench`).
  { timestamps: { createdAt: 'replicatedAt', updatedAt: false }, toJSON: apiJSON },
);

export type OrderDoc = HydratedDocument<OrderFields>;

export const Order = mongoose.model<OrderFields>('Order', orderSchema);
