import Stripe from 'stripe';
import { OrderStatus, Subjects } from '@ticketing/common';
import { useServiceTest } from '@ticketing/common/testing';
import { paymentOutbox } from '../../events/outbox';
import { PaymentStatus } from '../../models/payment';
import { EXPIRY_GRACE_MS } from '../../services/pay-order';
import { stripe } from '../../stripe';
import { ago, orderWithPayment, readPayment } from '../../__test__/payments';
import { Reconciler } from '../reconciler';

const { published } = useServiceTest(paymentOutbox);

afterEach(() => jest.restoreAllMocks());

const AFTER_MS = 60_000;
const reconciler = new Reconciler({ reconcileAfterMs: AFTER_MS, intervalMs: 60_000, log: () => {} });

const spyOnStripe = () => ({
  charges: jest.spyOn(stripe().charges, 'create'),
  refunds: jest.spyOn(stripe().refunds, 'create'),
});

it('records a charge Stripe made for an attempt whose worker died before storing it, asking Stripe with the same key', async () => {
  const { charges } = spyOnStripe();
  const { order, paymentId } = await orderWithPayment({ claimedAt: ago(AFTER_MS + 1_000), chargeSentAt: ago(AFTER_MS) });
  const sent = await readPayment(paymentId);

  await reconciler.run();

  const { idempotencyKey, ...params } = sent.charge;
  expect(charges).toHaveBeenCalledWith(params, { idempotencyKey });
  const payment = await readPayment(paymentId);
  expect(payment.status).toBe(PaymentStatus.Succeeded);
  expect(await published(Subjects.PaymentCreated)).toEqual([
    { id: paymentId, orderId: order.id, stripeId: payment.stripeId, sellerId: order.sellerId, amountCents: 1999, currency: 'usd' },
  ]);
});

it('leaves an attempt younger than a charge can take to its worker', async () => {
  const { charges } = spyOnStripe();
  const { paymentId } = await orderWithPayment({ claimedAt: ago(AFTER_MS - 5_000), chargeSentAt: new Date() });

  await reconciler.run();

  expect(charges).not.toHaveBeenCalled();
  expect((await readPayment(paymentId)).status).toBe(PaymentStatus.Pending);
});

it('refunds the charge of a dead worker whose order expired meanwhile', async () => {
  const { refunds } = spyOnStripe();
  const { paymentId } = await orderWithPayment(
    { claimedAt: ago(AFTER_MS + 1_000), chargeSentAt: ago(AFTER_MS), orderCancelled: true },
    { status: OrderStatus.Cancelled, expiresAt: ago(EXPIRY_GRACE_MS + 30_000) },
  );

  await reconciler.run();
  await reconciler.run();

  expect(refunds).toHaveBeenCalledTimes(1);
  expect((await readPayment(paymentId)).status).toBe(PaymentStatus.Refunded);
  expect(await published(Subjects.PaymentRefunded)).toHaveLength(1);
});

it('fails an attempt that never reached Stripe once its order has expired, without charging', async () => {
  const { charges } = spyOnStripe();
  const { paymentId } = await orderWithPayment({ claimedAt: ago(AFTER_MS + 1_000) }, { expiresAt: ago(EXPIRY_GRACE_MS + 1_000) });

  await reconciler.run();

  expect(charges).not.toHaveBeenCalled();
  expect((await readPayment(paymentId)).status).toBe(PaymentStatus.Failed);
});

it('keeps what Stripe could not answer for the next pass: nothing stays pending, no refund is forgotten', async () => {
  const { charges, refunds } = spyOnStripe();
  const down = () => new Stripe.errors.StripeConnectionError({ message: 'connect ECONNREFUSED' });
  charges.mockRejectedValueOnce(down());
  refunds.mockRejectedValueOnce(down());
  const stale = await orderWithPayment({ claimedAt: ago(AFTER_MS + 1_000), chargeSentAt: ago(AFTER_MS) });
  const due = await orderWithPayment(
    { status: PaymentStatus.Succeeded, stripeId: 'ch_due', orderCancelled: true },
    { status: OrderStatus.Cancelled },
  );

  await reconciler.run();
  expect((await readPayment(stale.paymentId)).status).toBe(PaymentStatus.Pending);
  expect((await readPayment(due.paymentId)).status).toBe(PaymentStatus.Succeeded);

  await reconciler.run();
  expect((await readPayment(stale.paymentId)).status).toBe(PaymentStatus.Succeeded);
  expect((await readPayment(due.paymentId)).status).toBe(PaymentStatus.Refunded);
});
