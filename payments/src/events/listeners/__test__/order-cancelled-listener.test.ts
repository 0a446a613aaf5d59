import Stripe from 'stripe';
import { OrderStatus, OutOfOrderEventError } from '@ticketing/common';
import { newId, orderCancelledData, RecordingBus, useTestDatabase } from '@ticketing/common/testing';
import { Order } from '../../../models/order';
import { Payment, PaymentStatus } from '../../../models/payment';
import { stripe } from '../../../stripe';
import { createOrder } from '../../../__test__/orders';
import { OrderCancelledListener } from '../order-cancelled-listener';

useTestDatabase();

afterEach(() => jest.restoreAllMocks());

const listener = new OrderCancelledListener(new RecordingBus());

const cancel = (orderId: string, version = 1) => listener.onMessage(orderCancelledData({ id: orderId, version }));

/** An order paid for through stripe-mock, as the route leaves it. */
const paidOrder = async () => {
  const order = await createOrder();
  const charge = await stripe().charges.create({ currency: 'usd', amount: 1999, source: 'tok_visa' });
  await Payment.create({ orderId: order.id, stripeId: charge.id, status: PaymentStatus.Succeeded, claimedAt: new Date() });
  return { order, charge };
};

it('marks the order cancelled at the next version', async () => {
  const order = await createOrder();

  await cancel(order.id, 1);

  expect(await Order.findById(order.id).lean()).toMatchObject({ status: OrderStatus.Cancelled, version: 1 });
});

it('leaves a cancellation that skips a version unacked, and the order as it was', async () => {
  const order = await createOrder();

  await expect(cancel(order.id, 2)).rejects.toBeInstanceOf(OutOfOrderEventError);

  expect(await Order.findById(order.id).lean()).toMatchObject({ status: OrderStatus.Created, version: 0 });
});

it('leaves a cancellation of an order it has not seen created unacked', async () => {
  await expect(cancel(newId())).rejects.toBeInstanceOf(OutOfOrderEventError);
});

it('treats a redelivered cancellation as a harmless duplicate', async () => {
  const order = await createOrder();
  await cancel(order.id, 1);

  await expect(cancel(order.id, 1)).resolves.toBeUndefined();

  expect(await Order.findById(order.id).lean()).toMatchObject({ status: OrderStatus.Cancelled, version: 1 });
});

it('refunds a payment that lost the race with expiry, once however often the event comes', async () => {
  const { order, charge } = await paidOrder();
  const refunds = jest.spyOn(stripe().refunds, 'create');

  await cancel(order.id);
  await cancel(order.id);

  expect(refunds).toHaveBeenCalledTimes(1);
  expect(refunds).toHaveBeenCalledWith({ charge: charge.id }, { idempotencyKey: `refund-${order.id}` });
  expect((await Payment.findOne({ orderId: order.id }))?.status).toBe(PaymentStatus.Refunded);
});

it('leaves a payment still being charged to the route, which checks for cancellation after charging', async () => {
  const order = await createOrder();
  await Payment.create({ orderId: order.id, status: PaymentStatus.Pending, claimedAt: new Date() });
  const refunds = jest.spyOn(stripe().refunds, 'create');

  await cancel(order.id);

  expect(refunds).not.toHaveBeenCalled();
  expect((await Payment.findOne({ orderId: order.id }))?.status).toBe(PaymentStatus.Pending);
});

it('keeps the cancellation unacked while the refund fails, and refunds on redelivery', async () => {
  const { order } = await paidOrder();
  const refunds = jest.spyOn(stripe().refunds, 'create');
  refunds.mockRejectedValueOnce(new Stripe.errors.StripeConnectionError({ message: 'connect ECONNREFUSED' }));

  await expect(cancel(order.id)).rejects.toThrow('connect ECONNREFUSED');
  expect((await Payment.findOne({ orderId: order.id }))?.status).toBe(PaymentStatus.Succeeded);

  await cancel(order.id);
  expect(refunds).toHaveBeenCalledTimes(2);
  expect((await Payment.findOne({ orderId: order.id }))?.status).toBe(PaymentStatus.Refunded);
});
