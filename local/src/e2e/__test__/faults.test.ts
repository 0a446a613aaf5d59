import { Types } from 'mongoose';
import { connectEventBus, Subjects } from '@ticketing/common';
import { orderCancelledData } from '@ticketing/common/testing';
import type { Order, Ticket } from '@ticketing/common/api';
import { Infra, startInfra } from '../../infra/start-infra';
import { startSystem, System } from '../../system/system';
import { ApiClient, eventually, uniqueEmail, waitUntil } from '../api-client';
import { CountingProxy } from '../counting-proxy';
import { Databases } from '../databases';
import { TcpProxy } from '../tcp-proxy';

// The guarantees of docs/design.md across the running system, with real processes killed and restarted.
// Each scenario prints one `[figure]` line.
const EXPIRY_SECONDS = 12;
const SETTLE_MS = (EXPIRY_SECONDS + 20) * 1000;

let infra: Infra;
let system: System;
let databases: Databases;
let ordersToNats: TcpProxy;
let stripe: CountingProxy;
const events: { subject: Subjects; data: Record<string, unknown>; at: number }[] = [];

const figure = (line: string) => process.stdout.write(`[figure] ${line}\n`);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  infra = await startInfra(['mongo', 'nats', 'redis', 'stripe'], { env: {} });
  ordersToNats = await TcpProxy.start(Number(new URL(infra.env.NATS_URL).port));
  stripe = await CountingProxy.start(infra.env.STRIPE_API_URL);
  system = await startSystem({
    env: infra.env,
    expirationWindowSeconds: EXPIRY_SECONDS,
    serviceEnv: {
      orders: { NATS_URL: `nats://127.0.0.1:${ordersToNats.port}` },
      // A poison message is parked after 3 deliveries (5 s apart), not the default 20.
      payments: { STRIPE_API_URL: stripe.url, EVENT_MAX_DELIVERIES: '3' },
      tickets: { EVENT_MAX_DELIVERIES: '3' },
    },
    onEvent: (subject, data) => events.push({ subject, data: data as Record<string, unknown>, at: Date.now() }),
  });
  databases = new Databases(system.env.MONGO_URI);
}, 180_000);

afterAll(async () => {
  await databases?.close();
  await system?.stop();
  await ordersToNats?.close();
  await stripe?.close();
  await infra?.stop();
});

const signUp = (name: string) => ApiClient.signUp(system.url, uniqueEmail(name));
const signUpMany = (name: string, n: number) => Promise.all(range(n).map((i) => signUp(`${name}${i}`)));

const listTickets = async (seller: ApiClient, n: number, label: string): Promise<Ticket[]> => {
  const tickets = await Promise.all(range(n).map((i) => seller.post<Ticket>('/api/tickets', { title: `${label} ${i}`, price: 10 + i })));
  tickets.forEach((res) => expect(res.status).toBe(201));
  const ids = tickets.map((res) => res.body.id);
  // The orders service must know every ticket before buyers race for it.
  await waitUntil(async () => (await replicaCount('orders', 'tickets', ids)) === n, 20_000, 'orders to replicate tickets');
  return tickets.map((res) => res.body);
};

const objectIds = (ids: string[]) => ids.map((id) => new Types.ObjectId(id));

const replicaCount = async (service: 'orders' | 'payments', collection: string, ids: string[]) =>
  databases.count(service, collection, { _id: { $in: objectIds(ids) } });

const statusOf = async (buyer: ApiClient, orderId: string) => (await buyer.get<Order>(`/api/orders/${orderId}`)).body.status;

const settled = async (pairs: { buyer: ApiClient; order: Order }[], what: string) =>
  eventually(
    async () => {
      const statuses = await Promise.all(pairs.map(({ buyer, order }) => statusOf(buyer, order.id)));
      return statuses.every((status) => status === 'complete' || status === 'cancelled') ? statuses : undefined;
    },
    SETTLE_MS,
    what,
  );

const pay = (buyer: ApiClient, orderId: string) => buyer.payWhenKnown(orderId);

it('no oversell: 50 buyers race for each of 20 tickets at once', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 20, 'Race');
  const buyers = await signUpMany('racer', 50);

  const startedAt = Date.now();
  const attempts = await Promise.all(
    tickets.flatMap((ticket) =>
      buyers.map(async (buyer) => ({ ticket, buyer, res: await buyer.post<Order>('/api/orders', { ticketId: ticket.id }) })),
    ),
  );
  const raceMs = Date.now() - startedAt;

  const winners = attempts.filter((attempt) => attempt.res.status === 201);
  const others = attempts.filter((attempt) => attempt.res.status !== 201);
  expect(others.every((attempt) => attempt.res.status === 400)).toBe(true);
  for (const ticket of tickets) expect(winners.filter((w) => w.ticket.id === ticket.id)).toHaveLength(1);

  const payments = await Promise.all(winners.map(({ buyer, res }) => pay(buyer, res.body.id)));
  payments.forEach((payment) => expect(payment.status).toBe(201));
  const statuses = await settled(
    winners.map(({ buyer, res }) => ({ buyer, order: res.body })),
    'winners complete',
  );
  expect(statuses.every((status) => status === 'complete')).toBe(true);

  const orders = await databases.find<{ status: string; ticket: unknown }>('orders', 'orders', {
    ticket: { $in: objectIds(tickets.map((t) => t.id)) },
  });
  for (const ticket of tickets) {
    expect(orders.filter((order) => String(order.ticket) === ticket.id && order.status === 'complete')).toHaveLength(1);
  }
  expect(orders).toHaveLength(20);
  figure(
    `no oversell: ${attempts.length} simultaneous orders for 20 tickets in ${raceMs} ms -> ${winners.length} × 201, ` +
      `${others.length} × 400, 0 other; ${payments.length} paid, every ticket sold exactly once`,
  );
}, 240_000);

it('a price edit that races an order: the order placed at the old price is cancelled, never charged', async () => {
  const seller = await signUp('seller');
  const [buyer, next] = await signUpMany('racer', 2);
  const [ticket] = await listTickets(seller, 1, 'Race');

  // Orders hears of the edit only after it has priced an order from the ticket as it was.
  ordersToNats.pause();
  expect((await seller.put(`/api/tickets/${ticket.id}`, { title: ticket.title, price: 99 })).status).toBe(200);
  const stale = await buyer.post<Order>('/api/orders', { ticketId: ticket.id });
  expect(stale.status).toBe(201);
  expect(stale.body.price).toBe(ticket.price);
  ordersToNats.resume();
  const resumedAt = Date.now();

  await waitUntil(async () => (await statusOf(buyer, stale.body.id)) === 'cancelled', 30_000, 'the stale order to be cancelled');
  const cancelledMs = Date.now() - resumedAt;
  expect((await buyer.post('/api/payments', { orderId: stale.body.id, token: 'tok_visa' })).status).toBe(400);
  const shown = (await seller.get<Ticket>(`/api/tickets/${ticket.id}`)).body;
  expect(shown.price).toBe(99);
  expect(shown.orderId).toBeUndefined();

  // The ticket is for sale at its new price.
  const fresh = await eventually(
    async () => {
      const res = await next.post<Order>('/api/orders', { ticketId: ticket.id });
      return res.status === 201 ? res.body : undefined;
    },
    30_000,
    'the ticket to be orderable again',
  );
  expect(fresh.price).toBe(99);
  await waitUntil(
    async () => (await seller.get<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId === fresh.id,
    30_000,
    'the new order to reserve it',
  );
  figure(
    `price race: an order priced at ${ticket.price} before an edit to 99 was cancelled ${cancelledMs} ms after orders heard the edit; the ticket then sold at 99`,
  );
}, 120_000);

it('poison messages are parked after their last delivery, and the messages behind them still flow', async () => {
  const seller = await signUp('seller');
  const buyer = await signUp('poisoned');
  const [ticket] = await listTickets(seller, 1, 'Behind poison');
  // Both consumers of order:cancelled, tickets and payments, get the poison.
  const deadLettersOf = async (service: 'tickets' | 'payments') =>
    ((await (await fetch(`${system.services[service].url}/healthz`)).json()) as { deadLetters: number }).deadLetters;
  const parkedBefore = { tickets: await deadLettersOf('tickets'), payments: await deadLettersOf('payments') };

  // 20 cancellations naming tickets that never existed: more than a subscription's 16 messages in flight.
  const bus = await connectEventBus('poisoner', system.env);
  try {
    for (let i = 0; i < 20; i++) await bus.publish(Subjects.OrderCancelled, orderCancelledData());
  } finally {
    await bus.close();
  }
  const order = await buyer.post<Order>('/api/orders', { ticketId: ticket.id });
  expect(order.status).toBe(201);
  expect((await buyer.delete(`/api/orders/${order.body.id}`)).status).toBe(204);
  const cancelledAt = Date.now();

  // tickets must take the valid order:created and order:cancelled behind the poison to free the ticket again.
  await waitUntil(
    async () => {
      const shown = (await seller.get<Ticket>(`/api/tickets/${ticket.id}`)).body;
      return shown.version === 2 && shown.orderId === undefined;
    },
    60_000,
    'the ticket to be reserved and released behind the poison',
  );
  const flowedMs = Date.now() - cancelledAt;
  // Parked by both, so that no later scenario waits behind them.
  for (const service of ['tickets', 'payments'] as const) {
    await waitUntil(async () => (await deadLettersOf(service)) - parkedBefore[service] === 20, 30_000, `${service} to park all 20`);
  }
  const parked = events.filter((event) => event.subject === Subjects.DeadLetter && event.at >= cancelledAt - 60_000);
  expect(parked.length).toBeGreaterThanOrEqual(40);
  figure(
    `poison: 20 order:cancelled for unknown tickets parked after 3 deliveries each by tickets and by payments (20 dead letters on each one's /healthz); the valid order behind them reserved and released its ticket ${flowedMs} ms after the cancellation`,
  );
}, 120_000);

it('no lost event: orders dies after storing orders but before publishing them', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 10, 'Crash');
  const busy = await listTickets(seller, 5, 'Busy');
  const buyers = await signUpMany('crash', 10);

  ordersToNats.pause();
  const placed = await Promise.all(buyers.map((buyer, i) => buyer.post<Order>('/api/orders', { ticketId: tickets[i].id })));
  placed.forEach((res) => expect(res.status).toBe(201));
  const orderIds = placed.map((res) => res.body.id);
  // Stored, not published: every order still carries its order:created in the outbox.
  expect(await databases.count('orders', 'orders', { _id: { $in: objectIds(orderIds) }, 'outbox.0': { $exists: true } })).toBe(10);

  await system.services.orders.kill('SIGKILL');
  // Tickets keep changing while orders is down.
  for (const ticket of busy)
    expect((await seller.put(`/api/tickets/${ticket.id}`, { title: `${ticket.title} (moved)`, price: 99 })).status).toBe(200);
  ordersToNats.resume();
  const restartedAt = Date.now();
  await system.services.orders.start();

  await waitUntil(
    async () => {
      const shown = await Promise.all(tickets.map(async (ticket) => (await seller.get<Ticket>(`/api/tickets/${ticket.id}`)).body.orderId));
      return shown.every((orderId, i) => orderId === orderIds[i]);
    },
    30_000,
    'tickets to be reserved',
  );
  await waitUntil(async () => (await replicaCount('payments', 'orders', orderIds)) === 10, 30_000, 'payments replica');
  await waitUntil(
    async () => (await databases.count('orders', 'tickets', { _id: { $in: objectIds(busy.map((t) => t.id)) }, version: 1 })) === 5,
    30_000,
    'orders replica to apply the edits made while it was down',
  );
  const convergedMs = Date.now() - restartedAt;
  // The expiration service got order:created too: every order expires.
  const statuses = await settled(
    buyers.map((buyer, i) => ({ buyer, order: placed[i].body })),
    'orders to expire',
  );
  expect(statuses.every((status) => status === 'cancelled')).toBe(true);
  figure(
    `no lost event (service killed): 10 orders stored unpublished, orders SIGKILLed; tickets, payments and orders' replicas converged ${convergedMs} ms after restart; all 10 expired on schedule`,
  );
}, 240_000);

it('no lost event: nats-streaming-server restarts during a burst of orders', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 12, 'Burst');
  const buyers = await signUpMany('burst', 12);

  let restartMs = 0;
  let restartedAt = 0;
  const [placed] = await Promise.all([
    Promise.all(
      buyers.map(async (buyer, i) => {
        await sleep(i * 40);
        return buyer.post<Order>('/api/orders', { ticketId: tickets[i].id });
      }),
    ),
    (async () => {
      await sleep(150);
      const startedAt = Date.now();
      await infra.servers.nats!.restart();
      restartedAt = Date.now();
      restartMs = restartedAt - startedAt;
    })(),
  ]);
  placed.forEach((res) => expect(res.status).toBe(201));
  const orderIds = placed.map((res) => res.body.id);
  // A publish lost in the restart is retried within seconds (the client's ack timeout was once 30 s).
  await waitUntil(
    async () => (await replicaCount('payments', 'orders', orderIds)) === orderIds.length,
    20_000,
    'order:created to reach payments',
  );
  const delayMs = Date.now() - restartedAt;

  const paid = placed.slice(0, 6);
  for (const [i, res] of paid.entries()) expect((await pay(buyers[i], res.body.id)).status).toBe(201);
  const statuses = await settled(
    buyers.map((buyer, i) => ({ buyer, order: placed[i].body })),
    'every order to complete or expire',
  );
  expect(statuses.slice(0, 6).every((status) => status === 'complete')).toBe(true);
  expect(statuses.slice(6).every((status) => status === 'cancelled')).toBe(true);
  figure(
    `no lost event (NATS restart): restarted in ${restartMs} ms during a burst of 12 orders; every order:created reached payments ` +
      `${delayMs} ms after the restart; 6 complete, 6 expired, 0 stuck, ` +
      `settled ${Date.now() - restartedAt} ms after the restart`,
  );
}, 240_000);

it('expiration survives a restart of the service and of Redis', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 8, 'Expire');
  const buyers = await signUpMany('expire', 8);
  const placed = await Promise.all(buyers.map((buyer, i) => buyer.post<Order>('/api/orders', { ticketId: tickets[i].id })));
  placed.forEach((res) => expect(res.status).toBe(201));
  // Let expiration schedule the jobs, then take it and Redis down and back up.
  await waitUntil(
    () => events.filter((e) => e.subject === Subjects.OrderCreated && placed.some((p) => p.body.id === e.data.id)).length === 8,
    20_000,
    'order:created',
  );
  await sleep(1_000);
  await system.services.expiration.kill('SIGKILL');
  await infra.servers.redis!.restart();
  await sleep(2_000);
  await system.services.expiration.start();

  const cancelledAt = (orderId: string) => events.find((e) => e.subject === Subjects.OrderCancelled && e.data.id === orderId)?.at;
  await waitUntil(() => placed.every((res) => cancelledAt(res.body.id)), SETTLE_MS, 'every order to expire');
  const lateness = placed.map((res) => cancelledAt(res.body.id)! - Date.parse(res.body.expiresAt));
  expect(Math.min(...lateness)).toBeGreaterThanOrEqual(-50);
  figure(
    `expiration restart: 8/8 orders expired after the service and Redis restarted; worst lateness ${Math.max(...lateness)} ms, best ${Math.min(...lateness)} ms`,
  );
}, 240_000);

it('no double charge: one payment sent 10 times at once, and payments racing expiry', async () => {
  const seller = await signUp('seller');
  const [burstTicket, ...racing] = await listTickets(seller, 7, 'Charge');
  const buyer = await signUp('payer');
  const burstOrder = (await buyer.post<Order>('/api/orders', { ticketId: burstTicket.id })).body;
  await waitUntil(async () => (await replicaCount('payments', 'orders', [burstOrder.id])) === 1, 20_000, 'payments replica');

  const chargesBefore = stripe.count('POST /v1/charges');
  const burst = await Promise.all(range(10).map(() => buyer.post('/api/payments', { orderId: burstOrder.id, token: 'tok_visa' })));
  expect(burst.map((res) => res.status).sort()).toEqual([201, ...Array<number>(9).fill(400)]);
  expect(stripe.count('POST /v1/charges') - chargesBefore).toBe(1);

  const racers = await signUpMany('racer-pay', racing.length);
  const orders = await Promise.all(
    racers.map(async (racer, i) => (await racer.post<Order>('/api/orders', { ticketId: racing[i].id })).body),
  );
  await waitUntil(
    async () =>
      (await replicaCount(
        'payments',
        'orders',
        orders.map((o) => o.id),
      )) === orders.length,
    20_000,
    'payments replica',
  );
  // Pay each order around its expiry: from 600 ms before to 600 ms after.
  await Promise.all(
    orders.map(async (raceOrder, i) => {
      await sleep(Math.max(0, Date.parse(raceOrder.expiresAt) - Date.now() - 600 + i * 200));
      await racers[i].post('/api/payments', { orderId: raceOrder.id, token: 'tok_visa' });
    }),
  );
  const statuses = await settled(
    racers.map((racer, i) => ({ buyer: racer, order: orders[i] })),
    'racing orders',
  );
  // Let a refund triggered by a late order:cancelled land.
  await sleep(3_000);
  const stored = await databases.find<{ orderId: unknown; status: string }>('payments', 'payments', {
    orderId: { $in: objectIds(orders.map((o) => o.id)) },
  });
  const paymentOf = (orderId: string) => stored.find((payment) => String(payment.orderId) === orderId);
  const outcomes = orders.map((raceOrder, i) => `${statuses[i]}/${paymentOf(raceOrder.id)?.status ?? 'none'}`);
  for (const outcome of outcomes) expect(['complete/succeeded', 'cancelled/none', 'cancelled/refunded']).toContain(outcome);
  const tally = outcomes.reduce<Record<string, number>>((acc, outcome) => ({ ...acc, [outcome]: (acc[outcome] ?? 0) + 1 }), {});
  figure(
    `no double charge: 10 identical payments -> 1 × 201, 9 × 400, Stripe charged 1 time; ` +
      `${orders.length} payments racing expiry -> ${JSON.stringify(tally)}, 0 charged-and-cancelled`,
  );
}, 240_000);
