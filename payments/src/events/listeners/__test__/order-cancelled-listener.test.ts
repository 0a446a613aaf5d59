import Stripe from 'stripe';
import { logger, OrderStatus, OutOfOrderEventError, Subjects } from '@ticketing/common';
import { newId, orderCancelledData, useServiceTest } from '@ticketing/common/testing';
import { Order } from '../../../models/order';
import { PaymentStatus } from '../../../models/payment';
import { refunds } from '../../../services/refund';
import { stripe } from '../../../stripe';
import { createOrder } from '../../../__test__/orders';
import { orderWithPayment, readPayment } from '../../../__test__/payments';
import { paymentOutbox } from '../../outbox';
import { OrderCancelledListener } from '../order-cancelled-listener';

const { bus, published } = useServiceTest(paymentOutbox);

afterEach(() => jest.restoreAllMocks());

const listener = new OrderCancelledListener(bus);
listener.listen('test');

const cancel = async (orderId: string, version = 1) => {
  await listener.onMessage(orderCancelledData({ id: orderId, version }));
  await refunds.settle();
};

/** An order paid for through stripe-mock, as the worker leaves it. */
const paidOrder = async () => {
  const charge = await stripe().charges.create({ currency: 'usd', amount: 1999, source: 'tok_visa' });
  const { order, paymentId } = await orderWithPayment({ status: PaymentStatus.Succeeded, stripeId: charge.id, chargeSentAt: new Date() });
  return { order, paymentId, charge };
};

it('marks the order cancelled at the next version', async () => {
  const order = await createOrder();

  await cancel(order.id, 1);

  expect(await Order.findById(order.id).lean()).toMatchObject({ status: OrderStatus.Cancelled, version: 1 });
});

it('applies a cancellation that skips versions, as of a paid order tickets rejected, and refunds its payment', async () => {
  const { order, paymentId } = await paidOrder();
  // Orders completed it (version 1, no event of payments') and then cancelled it (version 2).
  expect(await bus.deliver(Subjects.OrderCancelled, orderCancelledData({ id: order.id, version: 2 }))).toBe('acked');
  await refunds.settle();

  expect(await Order.findById(order.id).lean()).toMatchObject({ status: OrderStatus.Cancelled, version: 2 });
  expect((await readPayment(paymentId)).status).toBe(PaymentStatus.Refunded);
});

it('treats a cancellation older than what it holds as a harmless duplicate', async () => {
  const order = await createOrder();
  await cancel(order.id, 2);

  await expect(cancel(order.id, 1)).resolves.toBeUndefined();

  expect(await Order.findById(order.id).lean()).toMatchObject({ status: OrderStatus.Cancelled, version: 2 });
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
  const { order, paymentId, charge } = await paidOrder();
  const stripeRefunds = jest.spyOn(stripe().refunds, 'create');

  await cancel(order.id);
  await cancel(order.id);

  expect(stripeRefunds).toHaveBeenCalledTimes(1);
  expect(stripeRefunds).toHaveBeenCalledWith(
    { charge: charge.id, metadata: { orderId: order.id, paymentId } },
    { idempotencyKey: `refund-${paymentId}` },
  );
  expect((await readPayment(paymentId)).status).toBe(PaymentStatus.Refunded);
  expect(await published(Subjects.PaymentRefunded)).toEqual([
    { id: paymentId, orderId: order.id, stripeId: charge.id, sellerId: order.sellerId, amountCents: 1999, currency: 'usd' },
  ]);
});

it('stores the cancellation on a pending payment, for the write that records its charge to read', async () => {
  const { order, paymentId } = await orderWithPayment();
  const stripeRefunds = jest.spyOn(stripe().refunds, 'create');

  await cancel(order.id);

  expect(stripeRefunds).not.toHaveBeenCalled();
  expect(await readPayment(paymentId)).toMatchObject({ status: PaymentStatus.Pending, orderCancelled: true });
});

it('acks the cancellation even while Stripe cannot refund: the refund stays stored as due', async () => {
  const { order, paymentId } = await paidOrder();
  jest
    .spyOn(stripe().refunds, 'create')
    .mockRejectedValueOnce(new Stripe.errors.StripeConnectionError({ message: 'connect ECONNREFUSED' }));
  jest.spyOn(logger, 'error').mockImplementation(() => {});

  expect(await bus.deliver(Subjects.OrderCancelled, orderCancelledData({ id: order.id, version: 1 }))).toBe('acked');
  await refunds.settle();

  expect(await readPayment(paymentId)).toMatchObject({ status: PaymentStatus.Succeeded, orderCancelled: true });
});
