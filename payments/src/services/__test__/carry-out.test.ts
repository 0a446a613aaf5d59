import Stripe from 'stripe';
import { logger, OrderStatus, Subjects } from '@ticketing/common';
import { newId, useServiceTest, waitUntil } from '@ticketing/common/testing';
import { OrderCancelledListener } from '../../events/listeners/order-cancelled-listener';
import { paymentOutbox } from '../../events/outbox';
import { PaymentStatus } from '../../models/payment';
import { stripe } from '../../stripe';
import { orderWithPayment, readPayment } from '../../__test__/payments';
import { carryOut } from '../carry-out';
import { EXPIRY_GRACE_MS } from '../pay-order';
import { refunds } from '../refund';

const { bus, published } = useServiceTest(paymentOutbox);

afterEach(() => jest.restoreAllMocks());

const spyOnStripe = () => ({
  charges: jest.spyOn(stripe().charges, 'create'),
  refunds: jest.spyOn(stripe().refunds, 'create'),
});

const declined = () => new Stripe.errors.StripeCardError({ type: 'card_error', code: 'card_declined', message: 'Your card was declined.' });

it('charges the stored request with its key, and records the charge with payment:created in one write', async () => {
  const { charges } = spyOnStripe();
  const { order, paymentId } = await orderWithPayment({}, { price: 19.99 });

  await carryOut(await readPayment(paymentId));

  expect(charges).toHaveBeenCalledWith(
    { amount: 1999, currency: 'usd', source: 'tok_visa', metadata: { orderId: order.id, paymentId, attempt: '1' } },
    { idempotencyKey: `charge-${paymentId}-1` },
  );
  const charge = (await charges.mock.results[0].value) as Stripe.Charge;
  expect(await readPayment(paymentId)).toMatchObject({ status: PaymentStatus.Succeeded, stripeId: charge.id });
  expect(await published(Subjects.PaymentCreated)).toEqual([
    { id: paymentId, orderId: order.id, stripeId: charge.id, sellerId: order.sellerId, amountCents: 1999, currency: 'usd' },
  ]);
});

it("names the order's waiting-room admission in payment:created, so that the queue frees its slot", async () => {
  spyOnStripe();
  const { paymentId } = await orderWithPayment({ admissionId: 'listing.3' });
  await carryOut(await readPayment(paymentId));
  expect(await published(Subjects.PaymentCreated)).toEqual([expect.objectContaining({ admissionId: 'listing.3' })]);
});

it('records a decline as final for the attempt, with its reason and payment:failed', async () => {
  const { charges } = spyOnStripe();
  charges.mockRejectedValueOnce(declined());
  const { order, paymentId } = await orderWithPayment();

  await carryOut(await readPayment(paymentId));

  expect(await readPayment(paymentId)).toMatchObject({ status: PaymentStatus.Failed, failureMessage: 'Your card was declined.' });
  expect(await published(Subjects.PaymentFailed)).toEqual([{ id: paymentId, orderId: order.id, reason: 'Your card was declined.' }]);
  expect(await published(Subjects.PaymentCreated)).toEqual([]);
});

it.each([
  ['a network error', () => new Stripe.errors.StripeConnectionError({ message: 'connect ECONNREFUSED' })],
  ['a 5xx', () => new Stripe.errors.StripeAPIError({ message: 'Internal error', statusCode: 500 })],
])('throws on %s for a retry, which sends the same request with the same key', async (_case, error) => {
  const { charges } = spyOnStripe();
  charges.mockRejectedValueOnce(error());
  const { paymentId } = await orderWithPayment();

  await expect(carryOut(await readPayment(paymentId))).rejects.toThrow();
  const pending = await readPayment(paymentId);
  expect(pending).toMatchObject({ status: PaymentStatus.Pending, chargeSentAt: expect.any(Date) });

  await carryOut(pending);
  expect(charges).toHaveBeenCalledTimes(2);
  expect(charges.mock.calls[1]).toEqual(charges.mock.calls[0]);
  expect((await readPayment(paymentId)).status).toBe(PaymentStatus.Succeeded);
});

it.each([
  ['cancelled', { status: OrderStatus.Cancelled }, 'The order was cancelled before it was charged'],
  ['expired', { expiresAt: new Date(Date.now() - EXPIRY_GRACE_MS - 1_000) }, 'The order expired before it was charged'],
])('fails an attempt never sent whose order is %s, without calling Stripe', async (_case, orderFields, reason) => {
  const { charges } = spyOnStripe();
  const { paymentId } = await orderWithPayment({}, orderFields);

  await carryOut(await readPayment(paymentId));

  expect(charges).not.toHaveBeenCalled();
  expect(await readPayment(paymentId)).toMatchObject({ status: PaymentStatus.Failed, failureMessage: reason });
});

it('resends an attempt already sent even though its order was cancelled since, and refunds the charge', async () => {
  const { charges, refunds: stripeRefunds } = spyOnStripe();
  const { order, paymentId } = await orderWithPayment(
    { chargeSentAt: new Date(), orderCancelled: true },
    { status: OrderStatus.Cancelled },
  );

  await carryOut(await readPayment(paymentId));
  await refunds.settle();

  expect(charges).toHaveBeenCalledTimes(1);
  const payment = await readPayment(paymentId);
  expect(payment.status).toBe(PaymentStatus.Refunded);
  expect(stripeRefunds).toHaveBeenCalledWith(
    { charge: payment.stripeId, metadata: { orderId: order.id, paymentId } },
    { idempotencyKey: `refund-${paymentId}` },
  );
  expect(await published(Subjects.PaymentRefunded)).toEqual([
    { id: paymentId, orderId: order.id, stripeId: payment.stripeId, sellerId: order.sellerId, amountCents: 1999, currency: 'usd' },
  ]);
});

it('refunds a charge whose order was cancelled while Stripe was charging it', async () => {
  const stripeCharges = stripe().charges;
  const realCreate = stripeCharges.create.bind(stripeCharges);
  const { charges, refunds: stripeRefunds } = spyOnStripe();
  const { order, paymentId } = await orderWithPayment();
  charges.mockImplementationOnce(async (...args) => {
    await new OrderCancelledListener(bus).onMessage({ id: order.id, version: 1, ticket: { id: newId() } });
    return realCreate(...args);
  });

  await carryOut(await readPayment(paymentId));
  await waitUntil(async () => (await readPayment(paymentId)).status === PaymentStatus.Refunded, 5_000, 'the refund');

  expect(stripeRefunds).toHaveBeenCalledTimes(1);
  expect(await published(Subjects.PaymentCreated)).toHaveLength(1);
  expect(await published(Subjects.PaymentRefunded)).toHaveLength(1);
});

it('keeps a refund due when Stripe fails to refund, for the reconciler', async () => {
  const { refunds: stripeRefunds } = spyOnStripe();
  stripeRefunds.mockRejectedValueOnce(new Stripe.errors.StripeConnectionError({ message: 'connect ECONNREFUSED' }));
  jest.spyOn(logger, 'error').mockImplementation(() => {});
  const { paymentId } = await orderWithPayment({ chargeSentAt: new Date(), orderCancelled: true }, { status: OrderStatus.Cancelled });

  await carryOut(await readPayment(paymentId));
  await refunds.settle();

  expect(await readPayment(paymentId)).toMatchObject({ status: PaymentStatus.Succeeded, orderCancelled: true });
});

it('records a charge once when two workers resend the same attempt', async () => {
  const { charges } = spyOnStripe();
  const { paymentId } = await orderWithPayment({ chargeSentAt: new Date() });
  const payment = await readPayment(paymentId);

  await Promise.all([carryOut(payment), carryOut(payment)]);

  expect(new Set(charges.mock.calls.map((call) => JSON.stringify(call))).size).toBe(1);
  expect(await published(Subjects.PaymentCreated)).toHaveLength(1);
});
