import mongoose from 'mongoose';
import { Payment, PaymentFields, PaymentStatus, type StoredPayment } from '../models/payment';
import { chargeRequest } from '../services/pay-order';
import { createOrder } from './orders';

/** An order and its payment as the route leaves it (pending attempt 1, card tok_visa), with `fields` changed. */
export const orderWithPayment = async (fields: Partial<PaymentFields> = {}, orderFields: Parameters<typeof createOrder>[0] = {}) => {
  const order = await createOrder(orderFields);
  const _id = new mongoose.Types.ObjectId();
  await Payment.create({
    _id,
    orderId: order.id,
    userId: order.userId,
    sellerId: order.sellerId,
    status: PaymentStatus.Pending,
    attempt: 1,
    charge: chargeRequest(order.id, String(_id), 1, order.totalCents, 'tok_visa'),
    claimedAt: new Date(),
    ...fields,
  });
  return { order, paymentId: String(_id) };
};

export const readPayment = async (id: string): Promise<StoredPayment> => {
  const payment = await Payment.findById(id).lean<StoredPayment>();
  if (!payment) throw new Error(`no payment ${id}`);
  return payment;
};

export const ago = (ms: number) => new Date(Date.now() - ms);
