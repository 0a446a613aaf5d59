import request from 'supertest';
import Stripe from 'stripe';
import { OrderStatus, Subjects } from '@ticketing/common';
import type * as Api from '@ticketing/common/api';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { app } from '../../app';
import { OrderCancelledListener } from '../../events/listeners/order-cancelled-listener';
import { paymentOutbox } from '../../events/outbox';
import { EXPIRY_GRACE_MS } from '../../services/pay-order';
import { ABANDONED_CLAIM_MS, Payment, PaymentStatus } from '../../models/payment';
import { stripe } from '../../stripe';
import { createOrder } from '../../__test__/orders';

const { bus, published } = useServiceTest(paymentOutbox);

afterEach(() => jest.restoreAllMocks());

const pay = (body: object, cookie: string[] = []) => request(app).post('/api/payments').set('Cookie', cookie).send(body);

/** An order of a signed-in buyer, and a request paying for it with a card stripe-mock accepts. */
const orderToPay = async (price = 19.99) => {
  const order = await createOrder({ price });
  const cookie = signinCookie({ id: order.userId });
  return { order, cookie, payIt: () => pay({ orderId: order.id, token: 'tok_visa' }, cookie) };
};

/** Counts the calls to Stripe; each still goes to stripe-mock. */
const spyOnStripe = () => ({
  charges: jest.spyOn(stripe().charges, 'create'),
  refunds: jest.spyOn(stripe().refunds, 'create'),
});

it('charges the order, stores the payment and publishes payment:created with the charge id', async () => {
  const { charges } = spyOnStripe();
  const { order, payIt } = await orderToPay(19.99);

  const res = await payIt().expect(201);
  const { id } = res.body as Api.Payment;

  expect(charges).toHaveBeenCalledTimes(1);
  expect(charges).toHaveBeenCalledWith(
    { currency: 'usd', amount: 1999, source: 'tok_visa' },
    { idempotencyKey: `charge-${order.id}-${id}` },
  );
  const charge = (await charges.mock.results[0].value) as Stripe.Charge;
  const payment = await Payment.findById(id);
  expect(payment).toMatchObject({ stripeId: charge.id, status: PaymentStatus.Succeeded });
  expect(String(payment!.orderId)).toBe(order.id);
  expect(res.body).toEqual({ id: String(payment!._id) });
  expect(await published(Subjects.PaymentCreated)).toEqual([{ id, orderId: order.id, stripeId: charge.id }]);
});

it.each([
  [19.99, 1999],
  [0.57, 57],
  [4.35, 435],
  [1005.1, 100510],
  [20, 2000],
])('charges a price of %p as exactly %p cents', async (price, cents) => {
  const { charges } = spyOnStripe();
  const { payIt } = await orderToPay(price);

  await payIt().expect(201);

  expect(charges.mock.calls[0][0]).toMatchObject({ amount: cents });
});

it('answers 401 to a caller who is not signed in', async () => {
  const { charges } = spyOnStripe();
  const { order } = await orderToPay();

  await pay({ orderId: order.id, token: 'tok_visa' }).expect(401);
  expect(charges).not.toHaveBeenCalled();
});

it.each([
  ['a missing orderId', { token: 'tok_visa' }, 'orderId'],
  ['an orderId that is not an ObjectId', { orderId: 'not-an-id', token: 'tok_visa' }, 'orderId'],
  ['an orderId operator object', { orderId: { $ne: null }, token: 'tok_visa' }, 'orderId'],
  ['a missing token', { orderId: newId() }, 'token'],
  ['an empty token', { orderId: newId(), token: '' }, 'token'],
  ['a token operator object', { orderId: newId(), token: { $gt: '' } }, 'token'],
])('rejects %s with 400 naming the field', async (_case, body, field) => {
  const { charges } = spyOnStripe();

  const res = await pay(body, signinCookie()).expect(400);

  expect((res.body as Api.ApiErrors).errors).toEqual([{ message: expect.any(String), field }]);
  expect(charges).not.toHaveBeenCalled();
});

it('answers 404 for an order it does not know', async () => {
  await pay({ orderId: newId(), token: 'tok_visa' }, signinCookie()).expect(404);
});

it("answers 401 to a user paying for someone else's order", async () => {
  const { charges } = spyOnStripe();
  const { order } = await orderToPay();

  await pay({ orderId: order.id, token: 'tok_visa' }, signinCookie()).expect(401);
  expect(charges).not.toHaveBeenCalled();
});

it('refuses to charge a cancelled order', async () => {
  const { charges } = spyOnStripe();
  const order = await createOrder({ status: OrderStatus.Cancelled });

  const res = await pay({ orderId: order.id, token: 'tok_visa' }, signinCookie({ id: order.userId })).expect(400);

  expect(res.body).toEqual({ errors: [{ message: 'Cannot pay for a cancelled order' }] });
  expect(charges).not.toHaveBeenCalled();
});

it('refuses to charge an order past its expiresAt and grace, even before its expiry arrives', async () => {
  const { charges } = spyOnStripe();
  const order = await createOrder({ expiresAt: new Date(Date.now() - EXPIRY_GRACE_MS - 1_000) });

  const res = await pay({ orderId: order.id, token: 'tok_visa' }, signinCookie({ id: order.userId })).expect(400);

  expect(res.body).toEqual({ errors: [{ message: 'Cannot pay for an expired order' }] });
  expect(charges).not.toHaveBeenCalled();
  expect(await Payment.countDocuments({ orderId: order.id })).toBe(0);
});

it('still charges an order whose expiresAt passed within the grace', async () => {
  const order = await createOrder({ expiresAt: new Date(Date.now() - 1_000) });
  await pay({ orderId: order.id, token: 'tok_visa' }, signinCookie({ id: order.userId })).expect(201);
});

it('refuses to charge an order a second time', async () => {
  const { charges } = spyOnStripe();
  const { payIt } = await orderToPay();

  await payIt().expect(201);
  const res = await payIt().expect(400);

  expect(res.body).toEqual({ errors: [{ message: 'Order already paid' }] });
  expect(charges).toHaveBeenCalledTimes(1);
  expect(await published(Subjects.PaymentCreated)).toHaveLength(1);
});

it('charges once when ten identical requests arrive at the same time', async () => {
  const { charges } = spyOnStripe();
  const { order, payIt } = await orderToPay();

  const responses = await Promise.all(Array.from({ length: 10 }, payIt));

  expect(responses.map((res) => res.status).sort()).toEqual([201, ...Array<number>(9).fill(400)]);
  expect(charges).toHaveBeenCalledTimes(1);
  expect(await Payment.countDocuments({ orderId: order.id })).toBe(1);
  expect(await published(Subjects.PaymentCreated)).toHaveLength(1);
});

it("answers a declined card with Stripe's message and lets the payer try again", async () => {
  const { charges } = spyOnStripe();
  charges.mockRejectedValueOnce(
    new Stripe.errors.StripeCardError({ type: 'card_error', code: 'card_declined', message: 'Your card was declined.' }),
  );
  const { payIt } = await orderToPay();

  const res = await payIt().expect(400);
  expect(res.body).toEqual({ errors: [{ message: 'Your card was declined.' }] });
  expect(await Payment.countDocuments()).toBe(0);

  await payIt().expect(201);
  expect(charges).toHaveBeenCalledTimes(2);
  // Real Stripe replays a stored decline for a reused key: the new attempt must use a new one.
  const keys = charges.mock.calls.map((call) => (call[1] as { idempotencyKey: string }).idempotencyKey);
  expect(new Set(keys).size).toBe(2);
});

it('answers 500 without details when Stripe cannot be reached, and keeps the claim for a same-key retry', async () => {
  const { charges } = spyOnStripe();
  charges.mockRejectedValueOnce(new Stripe.errors.StripeConnectionError({ message: 'connect ECONNREFUSED' }));
  const log = jest.spyOn(console, 'error').mockImplementation(() => {});
  const { payIt } = await orderToPay();

  const res = await payIt().expect(500);

  expect(res.body).toEqual({ errors: [{ message: 'Something went wrong' }] });
  expect(log).toHaveBeenCalled();
  // Stripe may have charged before the connection failed: no new claim (and key) until this one is stale.
  expect(await Payment.find({}).lean()).toEqual([expect.objectContaining({ status: PaymentStatus.Pending })]);
  expect((await payIt().expect(400)).body).toEqual({ errors: [{ message: 'Payment already in progress' }] });
  expect(charges).toHaveBeenCalledTimes(1);
  expect(await published(Subjects.PaymentCreated)).toEqual([]);
});

it('refunds the charge when the order is cancelled while the charge is in flight', async () => {
  const stripeCharges = stripe().charges;
  const realCreate = stripeCharges.create.bind(stripeCharges);
  const { charges, refunds } = spyOnStripe();
  const { order, payIt } = await orderToPay();
  // The cancellation arrives through the listener just as Stripe is being called.
  charges.mockImplementationOnce(async (...args) => {
    await new OrderCancelledListener(bus).onMessage({ id: order.id, version: 1, ticket: { id: newId() } });
    return realCreate(...args);
  });

  const res = await payIt().expect(400);

  expect(res.body).toEqual({ errors: [{ message: 'Order was cancelled while paying; the charge was refunded' }] });
  const payment = await Payment.findOne({ orderId: order.id });
  expect(payment?.status).toBe(PaymentStatus.Refunded);
  expect(charges).toHaveBeenCalledTimes(1);
  expect(refunds).toHaveBeenCalledTimes(1);
  expect(refunds).toHaveBeenCalledWith({ charge: payment!.stripeId }, { idempotencyKey: `refund-${order.id}` });
});

describe('a pending claim', () => {
  const ago = (ms: number) => new Date(Date.now() - ms);

  /** The claim of a request that is charging the order, or that died while it was, `age` ago. */
  const pendingClaim = (orderId: string, age: number) => Payment.create({ orderId, status: PaymentStatus.Pending, claimedAt: ago(age) });

  it('of a request that died mid-charge is taken over and charged with its idempotency key', async () => {
    const { charges } = spyOnStripe();
    const { order, payIt } = await orderToPay(19.99);
    const claim = await pendingClaim(order.id, ABANDONED_CLAIM_MS + 1000);

    const res = await payIt().expect(201);

    expect(res.body).toEqual({ id: String(claim._id) });
    expect(charges).toHaveBeenCalledTimes(1);
    expect(charges).toHaveBeenCalledWith(
      { currency: 'usd', amount: 1999, source: 'tok_visa' },
      { idempotencyKey: `charge-${order.id}-${claim.id}` },
    );
    const charge = (await charges.mock.results[0].value) as Stripe.Charge;
    expect(await Payment.find({ orderId: order.id })).toEqual([
      expect.objectContaining({ _id: claim._id, stripeId: charge.id, status: PaymentStatus.Succeeded }),
    ]);
    expect(await published(Subjects.PaymentCreated)).toEqual([
      { id: (res.body as Api.Payment).id, orderId: order.id, stripeId: charge.id },
    ]);
  });

  it('of a request still charging is left alone', async () => {
    const { charges } = spyOnStripe();
    const { order, payIt } = await orderToPay();
    const claim = await pendingClaim(order.id, ABANDONED_CLAIM_MS - 10_000);

    const res = await payIt().expect(400);

    expect(res.body).toEqual({ errors: [{ message: 'Payment already in progress' }] });
    expect(charges).not.toHaveBeenCalled();
    expect(await Payment.findById(claim._id).lean()).toMatchObject({ status: PaymentStatus.Pending, claimedAt: claim.claimedAt });
  });

  it('abandoned is taken over by one of racing requests, which charges once', async () => {
    const { charges } = spyOnStripe();
    const { order, payIt } = await orderToPay();
    const claim = await pendingClaim(order.id, ABANDONED_CLAIM_MS + 1000);

    const responses = await Promise.all(Array.from({ length: 5 }, payIt));

    expect(responses.map((res) => res.status).sort()).toEqual([201, 400, 400, 400, 400]);
    expect(charges).toHaveBeenCalledTimes(1);
    expect(charges.mock.calls[0][1]).toEqual({ idempotencyKey: `charge-${order.id}-${claim.id}` });
    expect(await Payment.countDocuments({ orderId: order.id })).toBe(1);
    expect(await published(Subjects.PaymentCreated)).toHaveLength(1);
  });

  it('charged both by its stalled request and by the one that took it over is recorded and published once', async () => {
    const stripeCharges = stripe().charges;
    const realCreate = stripeCharges.create.bind(stripeCharges);
    const { charges } = spyOnStripe();
    const { order, payIt } = await orderToPay();
    // Stripe stalls past the threshold, and meanwhile a second request takes the claim over and pays.
    charges.mockImplementationOnce(async (...args) => {
      await Payment.updateOne({ orderId: order.id }, { $set: { claimedAt: ago(ABANDONED_CLAIM_MS + 1000) } });
      await payIt().expect(201);
      return realCreate(...args);
    });

    await payIt().expect(201);

    const keys = charges.mock.calls.map((call) => (call[1] as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    expect(await published(Subjects.PaymentCreated)).toHaveLength(1);
  });

  it('taken over while its request was charging is not released by that request when its charge fails', async () => {
    const { charges } = spyOnStripe();
    jest.spyOn(console, 'error').mockImplementation(() => {});
    const { order, payIt } = await orderToPay();
    const takenAt = new Date();
    charges.mockImplementationOnce(async () => {
      await Payment.updateOne({ orderId: order.id }, { $set: { claimedAt: takenAt } });
      throw new Stripe.errors.StripeConnectionError({ message: 'socket hang up' });
    });

    await payIt().expect(500);

    expect(await Payment.findOne({ orderId: order.id }).lean()).toMatchObject({
      status: PaymentStatus.Pending,
      claimedAt: takenAt,
    });
  });
});
