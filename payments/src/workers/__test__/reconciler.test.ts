import request from 'supertest';
import Stripe from 'stripe';
import { OrderStatus, Subjects } from '@ticketing/common';
import { signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { paymentOutbox } from '../../events/outbox';
import { PaymentStatus } from '../../models/payment';
import { EXPIRY_GRACE_MS } from '../../services/pay-order';
import { stripe } from '../../stripe';
import { useTestQueues } from '../../__test__/charge-queues';
import { ago, orderWithPayment, readPayment } from '../../__test__/payments';
import { Reconciler } from '../reconciler';

const { published } = useServiceTest(paymentOutbox);
const app = buildApp(useTestQueues().queue);

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

describe('refunds Stripe refuses for good', () => {
  const refusal = (code: string) => new Stripe.errors.StripeInvalidRequestError({ message: `Refused: ${code}`, code, statusCode: 400 });

  /** Stripe as it answers: a refund of a charge whose id says "disputed" is refused for good; the rest go to stripe-mock. */
  const stripeRefusing = (code: string) => {
    const create = stripe().refunds.create.bind(stripe().refunds);
    return jest
      .spyOn(stripe().refunds, 'create')
      .mockImplementation((params, options) =>
        params?.charge?.toString().startsWith('ch_refused') ? Promise.reject(refusal(code)) : create(params, options),
      );
  };

  const refundDue = (stripeId: string) =>
    orderWithPayment({ status: PaymentStatus.Succeeded, stripeId, orderCancelled: true }, { status: OrderStatus.Cancelled });

  it('refunds a good refund in one pass behind more than a batch of refused ones, and stores those as refundFailed once', async () => {
    const refunds = stripeRefusing('charge_disputed');
    const refused = [];
    for (let i = 0; i < 105; i++) refused.push(await refundDue(`ch_refused_${i}`));
    const good = await refundDue('ch_good');

    await reconciler.run();

    expect((await readPayment(good.paymentId)).status).toBe(PaymentStatus.Refunded);
    for (const { paymentId } of refused) {
      expect(await readPayment(paymentId)).toMatchObject({
        status: PaymentStatus.RefundFailed,
        refundFailureReason: 'charge_disputed: Refused: charge_disputed',
      });
    }
    expect(await published(Subjects.PaymentRefunded)).toHaveLength(1);
    expect(refunds).toHaveBeenCalledTimes(106);

    await reconciler.run();
    expect(refunds).toHaveBeenCalledTimes(106);
  });

  it('counts a refused refund on /healthz and shows its reason on the payment', async () => {
    stripeRefusing('charge_disputed');
    const { order, paymentId } = await refundDue('ch_refused_shown');
    const before = (await request(app).get('/healthz').expect(200)).body as { refusedRefunds: number };

    await reconciler.run();

    const after = (await request(app).get('/healthz').expect(200)).body as { refusedRefunds: number };
    expect(after.refusedRefunds).toBe(before.refusedRefunds + 1);
    const shown = await request(app)
      .get(`/api/payments/${paymentId}`)
      .set('Cookie', signinCookie({ id: order.userId }))
      .expect(200);
    expect(shown.body).toMatchObject({ status: 'refundFailed', refundFailureReason: 'charge_disputed: Refused: charge_disputed' });
  });

  it('records a charge Stripe says is refunded already as refunded, with its payment:refunded event', async () => {
    stripeRefusing('charge_already_refunded');
    const { paymentId } = await refundDue('ch_refused_before');

    await reconciler.run();

    expect((await readPayment(paymentId)).status).toBe(PaymentStatus.Refunded);
    expect(await published(Subjects.PaymentRefunded)).toEqual([expect.objectContaining({ id: paymentId, stripeId: 'ch_refused_before' })]);
  });
});

it('resolves stale attempts oldest first', async () => {
  const { charges } = spyOnStripe();
  const newer = await orderWithPayment({ claimedAt: ago(AFTER_MS + 1_000), chargeSentAt: ago(AFTER_MS) });
  const older = await orderWithPayment({ claimedAt: ago(AFTER_MS + 60_000), chargeSentAt: ago(AFTER_MS + 59_000) });

  await reconciler.run();

  const sent = charges.mock.calls.map(([params]) => (params?.metadata as Record<string, string>).paymentId);
  expect(sent).toEqual([older.paymentId, newer.paymentId]);
});

describe('an attempt sent longer ago than Stripe keeps its idempotency key (24 h)', () => {
  const DAY_AGO = ago(25 * 60 * 60 * 1000);

  /** Stripe's search finding `charges` (stripe-mock's own answer is a fixture of some other charge). */
  const searchFinds = (charges: Stripe.Charge[]) =>
    jest.spyOn(stripe().charges, 'search').mockReturnValueOnce(
      Promise.resolve({
        object: 'search_result',
        data: charges,
        has_more: false,
        next_page: null,
        url: '/v1/charges/search',
      }) as unknown as Stripe.ApiSearchResultPromise<Stripe.Charge>,
    );

  /** A charge as Stripe stores it for the attempt, with `status`. */
  const stripeCharge = async (paymentId: string, status: Stripe.Charge.Status) => {
    const sent = (await readPayment(paymentId)).charge;
    const charge = await stripe().charges.create({ amount: sent.amount, currency: sent.currency, source: sent.source });
    return {
      ...charge,
      id: `ch_found_${status}`,
      status,
      metadata: sent.metadata,
      failure_message: status === 'failed' ? 'Your card was declined.' : null,
    };
  };

  it('records the charge Stripe made, found by its metadata, without sending it again', async () => {
    const { paymentId } = await orderWithPayment(
      { claimedAt: DAY_AGO, chargeSentAt: DAY_AGO },
      { expiresAt: ago(EXPIRY_GRACE_MS + 1_000) },
    );
    const search = searchFinds([await stripeCharge(paymentId, 'succeeded')]);
    const { charges } = spyOnStripe();

    await reconciler.run();

    expect(search).toHaveBeenCalledWith({ query: expect.stringContaining(`metadata['paymentId']:'${paymentId}'`), limit: 10 });
    expect(charges).not.toHaveBeenCalled();
    expect(await readPayment(paymentId)).toMatchObject({ status: PaymentStatus.Succeeded, stripeId: 'ch_found_succeeded' });
    expect(await published(Subjects.PaymentCreated)).toHaveLength(1);
  });

  it('records the decline Stripe stored as the decline', async () => {
    const { paymentId } = await orderWithPayment({ claimedAt: DAY_AGO, chargeSentAt: DAY_AGO });
    searchFinds([await stripeCharge(paymentId, 'failed')]);
    const { charges } = spyOnStripe();

    await reconciler.run();

    expect(charges).not.toHaveBeenCalled();
    expect(await readPayment(paymentId)).toMatchObject({ status: PaymentStatus.Failed, failureMessage: 'Your card was declined.' });
  });

  it('fails as not charged, without charging, when Stripe has no charge for it and its order has ended', async () => {
    const { charges } = spyOnStripe();
    const { paymentId } = await orderWithPayment(
      { claimedAt: DAY_AGO, chargeSentAt: DAY_AGO },
      { expiresAt: ago(EXPIRY_GRACE_MS + 1_000) },
    );

    await reconciler.run();

    expect(charges).not.toHaveBeenCalled();
    expect(await readPayment(paymentId)).toMatchObject({
      status: PaymentStatus.Failed,
      failureMessage: 'The order expired before it was charged; Stripe had no charge for it',
    });
  });

  it('charges it now when Stripe has no charge for it and its order is still open', async () => {
    const { charges } = spyOnStripe();
    const { paymentId } = await orderWithPayment({ claimedAt: DAY_AGO, chargeSentAt: DAY_AGO });

    await reconciler.run();

    expect(charges).toHaveBeenCalledTimes(1);
    expect((await readPayment(paymentId)).status).toBe(PaymentStatus.Succeeded);
  });
});
