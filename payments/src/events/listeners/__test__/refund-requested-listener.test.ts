import { InvalidMessageError, Subjects } from '@ticketing/common';
import { newId, useServiceTest } from '@ticketing/common/testing';
import { PaymentStatus } from '../../../models/payment';
import { refunds } from '../../../services/refund';
import { stripe } from '../../../stripe';
import { orderWithPayment, readPayment } from '../../../__test__/payments';
import { paymentOutbox } from '../../outbox';
import { RefundRequestedListener } from '../refund-requested-listener';

const { bus, published } = useServiceTest(paymentOutbox);

afterEach(() => jest.restoreAllMocks());

new RefundRequestedListener(bus).listen('test');

const requestRefund = async (orderId: string, paymentId: string) => {
  const delivery = await bus.deliver(Subjects.RefundRequested, { orderId, paymentId, reason: 'charged after the order was cancelled' });
  await refunds.settle();
  return delivery;
};

/** A charge recorded while payments never heard its order was cancelled (its order:cancelled was parked or is late). */
const lateCharge = async () => {
  const charge = await stripe().charges.create({ currency: 'usd', amount: 1999, source: 'tok_visa' });
  const { order, paymentId } = await orderWithPayment({ status: PaymentStatus.Succeeded, stripeId: charge.id, chargeSentAt: new Date() });
  return { order, paymentId, charge };
};

it('refunds a charge whose order orders found cancelled, once however often the request comes', async () => {
  const { order, paymentId, charge } = await lateCharge();
  const stripeRefunds = jest.spyOn(stripe().refunds, 'create');

  expect(await requestRefund(order.id, paymentId)).toBe('acked');
  expect(await requestRefund(order.id, paymentId)).toBe('acked');

  expect(stripeRefunds).toHaveBeenCalledTimes(1);
  expect(await readPayment(paymentId)).toMatchObject({ status: PaymentStatus.Refunded, orderCancelled: true });
  expect(await published(Subjects.PaymentRefunded)).toEqual([
    { id: paymentId, orderId: order.id, stripeId: charge.id, sellerId: order.sellerId, amountCents: 1999, currency: 'usd' },
  ]);
});

it('stores the refund as due on a payment still pending, for the write that records its charge to read', async () => {
  const { order, paymentId } = await orderWithPayment();

  expect(await requestRefund(order.id, paymentId)).toBe('acked');

  expect(await readPayment(paymentId)).toMatchObject({ status: PaymentStatus.Pending, orderCancelled: true });
});

it('finds a request naming a payment it never made invalid', async () => {
  const { order } = await orderWithPayment();
  const listener = new RefundRequestedListener(bus);

  await expect(
    listener.onMessage({ orderId: order.id, paymentId: newId(), reason: 'charged after the order was cancelled' }),
  ).rejects.toBeInstanceOf(InvalidMessageError);
});
