import request from 'supertest';
import { OrderStatus, Subjects } from '@ticketing/common';
import type { QueueStatus } from '@ticketing/common/api';
import { signinCookie, testUser } from '@ticketing/common/testing';
import { listing, newTicketId, startReplica, type Replica } from '../../../__test__/queue-harness';

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica();
});
afterAll(() => replica.close());

const join = (ticketId: string, user = testUser()) =>
  request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie(user)).expect(200);

const me = async (ticketId: string, user: { id: string }) =>
  (await request(replica.app).get(`/api/queue/${ticketId}/me`).set('Cookie', signinCookie(user)).expect(200)).body as QueueStatus;

const orderCreated = (ticketId: string, orderId: string, admissionId?: string) => ({
  id: orderId,
  version: 0,
  status: OrderStatus.Created,
  userId: 'buyer',
  expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  ticket: { id: ticketId, price: 50, sellerId: 'seller', version: 0 },
  quantity: 2,
  totalCents: 10_000,
  admissionId,
});

/** One buyer admitted and ordering with the admission, one waiting behind (cap 1). */
const admittedWithOrder = async (orderId: string) => {
  const ticketId = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, 1));
  const [buyer, next] = [testUser(), testUser()];
  await join(ticketId, buyer);
  await join(ticketId, next);
  expect(await replica.bus.deliver(Subjects.OrderCreated, orderCreated(ticketId, orderId, `${ticketId}.1`))).toBe('acked');
  return { ticketId, buyer, next };
};

it('learns a listing’s waiting room from ticket:created, and its new cap from ticket:updated', async () => {
  const ticketId = newTicketId();
  const buyers = [testUser(), testUser(), testUser()];
  expect(await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, 1))).toBe('acked');
  for (const buyer of buyers) await join(ticketId, buyer);
  expect(await me(ticketId, buyers[2])).toMatchObject({ admitted: false, position: 2 });

  expect(await replica.bus.deliver(Subjects.TicketUpdated, listing(ticketId, 3, { version: 1 }))).toBe('acked');
  await replica.rounds.kick(ticketId);

  expect(await me(ticketId, buyers[2])).toMatchObject({ admitted: true });
});

it('says soldOut and admits no one while ticket:updated says nothing is available, then admits in join order again', async () => {
  const ticketId = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, 1));
  const [first, second, third] = [testUser(), testUser(), testUser()];
  await join(ticketId, first);
  expect(await me(ticketId, first)).toMatchObject({ admitted: true, soldOut: false });

  // The first buyer's order took the last units; their admission ends with the order's payment.
  expect(await replica.bus.deliver(Subjects.TicketUpdated, listing(ticketId, 1, { version: 1, available: 0 }))).toBe('acked');
  expect(await replica.bus.deliver(Subjects.OrderCreated, orderCreated(ticketId, 'order-last', `${ticketId}.1`))).toBe('acked');
  await join(ticketId, second);
  const joined = (await join(ticketId, third)).body as QueueStatus;
  const payment = { id: 'payment-last', orderId: 'order-last', stripeId: 'ch_l', sellerId: 'seller', amountCents: 100, currency: 'usd' };
  expect(await replica.bus.deliver(Subjects.PaymentCreated, payment)).toBe('acked');
  await replica.rounds.kick(ticketId);

  expect(joined).toMatchObject({ position: 2, soldOut: true });
  expect(await me(ticketId, second)).toMatchObject({ admitted: false, position: 1, soldOut: true });
  expect(await me(ticketId, first)).toMatchObject({ admitted: false, position: 0, soldOut: true });
  expect(await replica.room.heldCount(ticketId)).toBe(0);

  // An order elsewhere was cancelled: a unit is back, and the line resumes from its head.
  expect(await replica.bus.deliver(Subjects.TicketUpdated, listing(ticketId, 1, { version: 2, available: 1 }))).toBe('acked');
  await replica.rounds.kick(ticketId);
  expect(await me(ticketId, second)).toMatchObject({ admitted: true, soldOut: false });
  expect(await me(ticketId, third)).toMatchObject({ admitted: false, position: 1, soldOut: false });
});

it('forgets the waiting room when ticket:updated takes it away', async () => {
  const ticketId = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, 1));
  await replica.bus.deliver(Subjects.TicketUpdated, { ...listing(ticketId, 1, { version: 1 }), waitingRoom: null });
  await request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie()).expect(404);
});

it('ends the admission when its order is paid (payment:created), and admits the next in line', async () => {
  const { ticketId, buyer, next } = await admittedWithOrder('order-paid');
  expect(await me(ticketId, next)).toMatchObject({ admitted: false, position: 1 });

  const payment = { id: 'payment-1', orderId: 'order-paid', stripeId: 'ch_1', sellerId: 'seller', amountCents: 10_000, currency: 'usd' };
  expect(await replica.bus.deliver(Subjects.PaymentCreated, payment)).toBe('acked');

  expect(await me(ticketId, buyer)).toMatchObject({ admitted: false, position: 0 });
  expect(await me(ticketId, next)).toMatchObject({ admitted: true });
});

it('ends the admission when its order is cancelled, and admits the next in line', async () => {
  const { ticketId, next } = await admittedWithOrder('order-cancelled');
  expect(await replica.bus.deliver(Subjects.OrderCancelled, { id: 'order-cancelled', version: 1, ticket: { id: ticketId } })).toBe('acked');
  expect(await me(ticketId, next)).toMatchObject({ admitted: true });
});

it('ignores orders without an admission, and the ends of orders it never held a slot for', async () => {
  const ticketId = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, 1));
  const buyer = testUser();
  await join(ticketId, buyer);
  expect(await replica.bus.deliver(Subjects.OrderCreated, orderCreated(ticketId, 'plain-order'))).toBe('acked');
  expect(await replica.bus.deliver(Subjects.OrderCancelled, { id: 'plain-order', version: 1, ticket: { id: ticketId } })).toBe('acked');
  expect(await me(ticketId, buyer)).toMatchObject({ admitted: true });
  expect(await replica.room.heldCount(ticketId)).toBe(1);
});

/** Every key of the replica's waiting rooms, with its type. */
const storedKeys = async () => {
  const keys = await replica.redis.commands.keys(`${replica.config.keyPrefix}*`);
  return Promise.all(keys.sort().map(async (key) => `${key} ${await replica.redis.commands.type(key)}`));
};

it('writes nothing to Redis for the end of an order placed without an admission', async () => {
  const ticketId = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, 1));
  await join(ticketId);
  await replica.bus.deliver(Subjects.OrderCreated, orderCreated(ticketId, 'order-no-admission-1'));
  const before = await storedKeys();

  expect(await replica.bus.deliver(Subjects.OrderCancelled, { id: 'order-no-admission-1', version: 1, ticket: { id: ticketId } })).toBe(
    'acked',
  );
  const payment = {
    id: 'payment-2',
    orderId: 'order-no-admission-2',
    stripeId: 'ch_2',
    sellerId: 'seller',
    amountCents: 5_000,
    currency: 'usd',
  };
  expect(await replica.bus.deliver(Subjects.PaymentCreated, payment)).toBe('acked');

  expect(await storedKeys()).toEqual(before);
});

it('keeps a listing without a waiting room a day at most, and one someone joined for good', async () => {
  const ttlOf = (ticketId: string) => replica.redis.commands.ttl(`${replica.config.keyPrefix}listing:${ticketId}`);
  const plain = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, { ...listing(plain, 1), waitingRoom: null });
  expect(await ttlOf(plain)).toBeGreaterThan(0);
  expect(await ttlOf(plain)).toBeLessThanOrEqual(24 * 60 * 60);

  const joined = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(joined, 1));
  expect(await ttlOf(joined)).toBe(-1);
  await join(joined);
  await replica.bus.deliver(Subjects.TicketUpdated, { ...listing(joined, 1, { version: 1 }), waitingRoom: null });
  expect(await ttlOf(joined)).toBe(-1);
});

it('frees the slot when an order’s end, naming its admission, arrives before its order:created', async () => {
  const ticketId = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, 1));
  const [buyer, next] = [testUser(), testUser()];
  await join(ticketId, buyer);
  await join(ticketId, next);
  const admissionId = `${ticketId}.1`;

  const payment = {
    id: 'payment-3',
    orderId: 'order-early',
    stripeId: 'ch_3',
    sellerId: 'seller',
    amountCents: 5_000,
    currency: 'usd',
    admissionId,
  };
  expect(await replica.bus.deliver(Subjects.PaymentCreated, payment)).toBe('acked');
  expect(await replica.bus.deliver(Subjects.OrderCreated, orderCreated(ticketId, 'order-early', admissionId))).toBe('acked');

  expect(await me(ticketId, buyer)).toMatchObject({ admitted: false, position: 0 });
  expect(await me(ticketId, next)).toMatchObject({ admitted: true });
  expect(await replica.room.heldCount(ticketId)).toBe(1);
});

it('subscribes in the queue group: the waiting rooms live in Redis, so replicas share the events', () => {
  for (const subject of [
    Subjects.TicketCreated,
    Subjects.TicketUpdated,
    Subjects.OrderCreated,
    Subjects.OrderCancelled,
    Subjects.PaymentCreated,
  ]) {
    expect(replica.bus.subscriptionOf(subject)).toMatchObject({ queueGroup: 'queue-service', broadcast: undefined });
  }
});
