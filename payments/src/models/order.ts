import mongoose from 'mongoose';
import { apiJSON, OrderStatus } from '@ticketing/common';

/** What payments knows of an order: kept from order:created and order:cancelled, versioned as orders writes them. */
export interface OrderReplica {
  /** The order's id in the orders service. */
  _id: string;
  version: number;
  userId: string;
  price: number;
  status: OrderStatus;
}

const orderSchema = new mongoose.Schema<OrderReplica>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    userId: { type: String, required: true },
    price: { type: Number, required: true },
    status: { type: String, enum: Object.values(OrderStatus), required: true },
  },
  { toJSON: apiJSON },
);

export const Order = mongoose.model<OrderReplica>('Order', orderSchema);
