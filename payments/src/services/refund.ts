import { Payment, PaymentStatus } from '../models/payment';
import { stripe } from '../stripe';

/**
 * Gives back the charge of an order's succeeded payment, if there is one. The route and
 * the order:cancelled listener may both call it: Stripe refunds once per idempotency key.
 */
export const refundPayment = async (orderId: string): Promise<void> => {
  const payment = await Payment.findOne({ orderId, status: PaymentStatus.Succeeded });
  if (!payment?.stripeId) return;
  await stripe().refunds.create({ charge: payment.stripeId }, { idempotencyKey: `refund-${orderId}` });
  await Payment.updateOne({ _id: payment._id, status: PaymentStatus.Succeeded }, { $set: { status: PaymentStatus.Refunded } });
};
