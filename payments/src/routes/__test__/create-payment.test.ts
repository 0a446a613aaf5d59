import request from 'supertest';
import { logger, OrderStatus } from '@ticketing/common';
import type { ApiErrors, Payment as PaymentJSON } from '@ticketing/common/api';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { paymentOutbox } from '../../events/outbox';
import { Payment, PaymentStatus } from '../../models/payment';
import { EXPIRY_GRACE_MS } from '../../services/pay-order';
import { stripe } from '../../stripe';
import { useTestQueues } from '../../__test__/charge-queues';
import { createOrder } from '../../__test__/orders';

useServiceTest(paymentOutbox);
const { queue } = useTestQueues();
const app = buildApp(queue);

afterEach(() => jest.restoreAllMocks());

const pay = (body: object, cookie: string[] = []) => request(app).post('/api/payments').set('Cookie', cookie).send(body);

/** An order of a signed-in buyer, and a request paying for it with a card stripe-mock accepts. */
const orderToPay = async (price = 19.99) => {
  const order = await createOrder({ price });
  const cookie = signinCookie({ id: order.userId });
  return { order, cookie, payIt: (token = 'tok_visa') => pay({ orderId: order.id, token }, cookie) };
};

const queuedJobs = async () => (await queue.getWaiting()).map((job) => job.data);

it('answers 202 pending at once, without calling Stripe, and queues the charge with its stored request', async () => {
  const charges = jest.spyOn(stripe().charges, 'create');
  const { order, payIt } = await orderToPay(19.99);

  const res = await payIt().expect(202);

  expect(res.body).toEqual({ id: expect.any(String), orderId: order.id, status: 'pending' });
  expect(charges).not.toHaveBeenCalled();
  expect(await queuedJobs()).toEqual([{ paymentId: (res.body as PaymentJSON).id, attempt: 1 }]);
  expect(await Payment.findById((res.body as PaymentJSON).id).lean()).toMatchObject({
    status: PaymentStatus.Pending,
    userId: order.userId,
    attempt: 1,
    charge: {
      idempotencyKey: `charge-${(res.body as PaymentJSON).id}-1`,
      amount: 1999,
      currency: 'usd',
      source: 'tok_visa',
      metadata: { orderId: order.id, paymentId: (res.body as PaymentJSON).id, attempt: '1' },
    },
  });
});

it.each([
  [19.99, 1999],
  [0.57, 57],
  [4.35, 435],
  [1005.1, 100510],
  [20, 2000],
])('stores a price of %p as exactly %p cents', async (price, cents) => {
  const { payIt } = await orderToPay(price);
  const res = await payIt().expect(202);
  expect((await Payment.findById((res.body as PaymentJSON).id).lean())?.charge.amount).toBe(cents);
});

it("charges a multi-unit order's total, quantity × price in cents", async () => {
  const order = await createOrder({ price: 19.99, totalCents: 5997 });
  const res = await pay({ orderId: order.id, token: 'tok_visa' }, signinCookie({ id: order.userId })).expect(202);
  expect((await Payment.findById((res.body as PaymentJSON).id).lean())?.charge.amount).toBe(5997);
});

it("keeps the order's waiting-room admission on the payment", async () => {
  const order = await createOrder({ admissionId: 'listing.3' });
  const res = await pay({ orderId: order.id, token: 'tok_visa' }, signinCookie({ id: order.userId })).expect(202);
  expect(await Payment.findById((res.body as PaymentJSON).id).lean()).toMatchObject({ admissionId: 'listing.3' });
});

it('answers 401 to a caller who is not signed in', async () => {
  const { order } = await orderToPay();
  await pay({ orderId: order.id, token: 'tok_visa' }).expect(401);
  expect(await Payment.countDocuments()).toBe(0);
});

it.each([
  ['a missing orderId', { token: 'tok_visa' }, 'orderId'],
  ['an orderId that is not an ObjectId', { orderId: 'not-an-id', token: 'tok_visa' }, 'orderId'],
  ['an orderId operator object', { orderId: { $ne: null }, token: 'tok_visa' }, 'orderId'],
  ['a missing token', { orderId: newId() }, 'token'],
  ['an empty token', { orderId: newId(), token: '' }, 'token'],
  ['a token operator object', { orderId: newId(), token: { $gt: '' } }, 'token'],
])('rejects %s with 400 naming the field', async (_case, body, field) => {
  const res = await pay(body, signinCookie()).expect(400);
  expect((res.body as ApiErrors).errors).toEqual([{ message: expect.any(String), field }]);
});

it('answers 404 for an order it does not know', async () => {
  await pay({ orderId: newId(), token: 'tok_visa' }, signinCookie()).expect(404);
});

it("answers 401 to a user paying for someone else's order", async () => {
  const { order } = await orderToPay();
  await pay({ orderId: order.id, token: 'tok_visa' }, signinCookie()).expect(401);
  expect(await Payment.countDocuments()).toBe(0);
});

it('refuses a cancelled order', async () => {
  const order = await createOrder({ status: OrderStatus.Cancelled });
  const res = await pay({ orderId: order.id, token: 'tok_visa' }, signinCookie({ id: order.userId })).expect(400);
  expect(res.body).toEqual({ errors: [{ message: 'Cannot pay for a cancelled order' }] });
  expect(await queuedJobs()).toEqual([]);
});

it('refuses an order past its expiresAt and grace, even before its expiry arrives', async () => {
  const order = await createOrder({ expiresAt: new Date(Date.now() - EXPIRY_GRACE_MS - 1_000) });
  const res = await pay({ orderId: order.id, token: 'tok_visa' }, signinCookie({ id: order.userId })).expect(400);
  expect(res.body).toEqual({ errors: [{ message: 'Cannot pay for an expired order' }] });
  expect(await Payment.countDocuments({ orderId: order.id })).toBe(0);
});

it('still takes an order whose expiresAt passed within the grace', async () => {
  const order = await createOrder({ expiresAt: new Date(Date.now() - 1_000) });
  await pay({ orderId: order.id, token: 'tok_visa' }, signinCookie({ id: order.userId })).expect(202);
});

it('refuses a second payment while the first is pending, and once it succeeded', async () => {
  const { payIt } = await orderToPay();
  const first = await payIt().expect(202);

  expect((await payIt().expect(400)).body).toEqual({ errors: [{ message: 'Payment already in progress' }] });
  await Payment.updateOne({ _id: (first.body as PaymentJSON).id }, { $set: { status: PaymentStatus.Succeeded } });
  expect((await payIt().expect(400)).body).toEqual({ errors: [{ message: 'Order already paid' }] });
  expect(await queuedJobs()).toHaveLength(1);
});

it('claims once when ten identical requests arrive at the same time', async () => {
  const { order, payIt } = await orderToPay();

  const responses = await Promise.all(Array.from({ length: 10 }, () => payIt()));

  expect(responses.map((res) => res.status).sort()).toEqual([202, ...Array(9).fill(400)]);
  expect(await Payment.countDocuments({ orderId: order.id })).toBe(1);
  expect(await queuedJobs()).toHaveLength(1);
});

it('after a decline starts a new attempt chain, with a new key and the new card, on the same payment', async () => {
  const { order, payIt } = await orderToPay();
  const first = await payIt('tok_chargeDeclined').expect(202);
  await Payment.updateOne(
    { _id: (first.body as PaymentJSON).id },
    { $set: { status: PaymentStatus.Failed, failureMessage: 'Your card was declined.', chargeSentAt: new Date() } },
  );

  const second = await payIt('tok_visa').expect(202);

  expect(second.body).toEqual({ id: (first.body as PaymentJSON).id, orderId: order.id, status: 'pending' });
  const payment = await Payment.findById((first.body as PaymentJSON).id).lean();
  expect(payment).toMatchObject({
    status: PaymentStatus.Pending,
    attempt: 2,
    charge: { idempotencyKey: `charge-${(first.body as PaymentJSON).id}-2`, source: 'tok_visa' },
  });
  expect(payment?.failureMessage).toBeUndefined();
  expect(payment?.chargeSentAt).toBeUndefined();
  expect(await queuedJobs()).toEqual(expect.arrayContaining([{ paymentId: (first.body as PaymentJSON).id, attempt: 2 }]));
});

it('keeps the claim when the queue cannot take the job, for the reconciler to charge', async () => {
  jest.spyOn(queue, 'add').mockRejectedValueOnce(new Error('Connection is closed.'));
  jest.spyOn(logger, 'error').mockImplementation(() => {});
  const { payIt } = await orderToPay();

  const res = await payIt().expect(202);

  expect(await Payment.findById((res.body as PaymentJSON).id).lean()).toMatchObject({ status: PaymentStatus.Pending });
});
