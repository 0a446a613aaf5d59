import { Types } from 'mongoose';
import WebSocket from 'ws';
import { Subjects } from '@ticketing/common';
import { sleep } from '@ticketing/common/testing';
import type { Order, Ticket } from '@ticketing/common/api';
import { ApiClient, eventually, uniqueEmail, waitUntil } from '../api-client';
import { CountingProxy } from '../counting-proxy';
import { figure } from '../figures';
import { ordersDuringRestart } from '../order-burst';
import { numberedListings, range, useSystem } from '../system-under-test';
import { firstServer, TcpProxy } from '../tcp-proxy';

// The guarantees of docs/design.md with every service at three processes behind the gateway's
// round-robin: real processes, one of them killed, the broker restarted. One `[figure]` line each.
const REPLICAS = 3;
const EXPIRY_SECONDS = 45;
const SETTLE_MS = (EXPIRY_SECONDS + 60) * 1000;

let ordersToBroker: TcpProxy;
let stripe: CountingProxy;
const events: { subject: Subjects; data: Record<string, unknown>; at: number }[] = [];

// The broker (EVENT_BUS's) and Stripe are started here, to restart the one and count the other's charges;
// the system starts its own database and Redis, as `npm start -- --replicas 3` does.
const sut = useSystem({
  infra: ['nats', 'stripe'],
  startTimeoutMs: 300_000,
  system: async ({ infra, closeAtEnd }) => {
    stripe = closeAtEnd(await CountingProxy.start(infra.env.STRIPE_API_URL));
    // With a cluster of brokers (`--brokers 3`), the first of them.
    ordersToBroker = closeAtEnd(await TcpProxy.start(Number(new URL(firstServer(infra.env.NATS_URL)).port)));
    return {
      replicas: REPLICAS,
      expirationWindowSeconds: EXPIRY_SECONDS,
      serviceEnv: {
        payments: { STRIPE_API_URL: stripe.url },
        orders: { NATS_URL: ordersToBroker.urlFor(firstServer(infra.env.NATS_URL_ORDERS)) },
      },
      onEvent: (subject, data) => events.push({ subject, data: data as Record<string, unknown>, at: Date.now() }),
    };
  },
});
const { signUp } = sut;

// The transport is EVENT_BUS's (nats-streaming unless set; `npm test -- local:jetstream` sets jetstream).
const replicasFigure = (line: string) => {
  const brokers = sut.infra.brokers.length;
  figure(`${sut.system.env.EVENT_BUS}${brokers > 1 ? ` (${brokers} brokers)` : ''}, ${REPLICAS} replicas: ${line}`);
};
const objectIds = (ids: string[]) => ids.map((id) => new Types.ObjectId(id));

/** A few at a time: each sign-up is a deliberately slow hash. */
const signUpMany = async (name: string, n: number) => {
  const clients: ApiClient[] = [];
  for (let start = 0; start < n; start += 10)
    clients.push(...(await Promise.all(range(Math.min(10, n - start)).map((i) => signUp(`${name}${start + i}`)))));
  return clients;
};

const replicaCount = (service: 'orders' | 'payments', collection: string, ids: string[]) =>
  sut.databases.count(service, collection, { _id: { $in: objectIds(ids) } });

const listTickets = (seller: ApiClient, n: number, label: string): Promise<Ticket[]> =>
  sut.listAll(seller, numberedListings(n, label), 30_000);

/** How many times the broker carried each id's event of `subject` (a relay publishing twice shows here). */
const publishedTimes = (subject: Subjects, ids: string[], key = 'id') =>
  ids.map((id) => events.filter((event) => event.subject === subject && event.data[key] === id).length);

interface StoredOrder {
  _id: Types.ObjectId;
  status: string;
  version: number;
  ticket: Types.ObjectId;
}

const storedOrdersFor = (tickets: Ticket[]) =>
  sut.databases.find<StoredOrder>('orders', 'orders', { ticket: { $in: objectIds(tickets.map((t) => t.id)) } });

/** Every stored order reached tickets (which reserved it), payments and expiration (which expired it, once). */
const everyOrderArrived = async (orders: StoredOrder[], tickets: Ticket[], seller: ApiClient) => {
  const ids = orders.map((order) => String(order._id));
  await waitUntil(
    async () => (await replicaCount('payments', 'orders', ids)) === ids.length,
    SETTLE_MS,
    'payments to replicate every order',
  );
  const reservedBy = new Map(orders.map((order) => [String(order.ticket), String(order._id)]));
  await waitUntil(
    async () => {
      const shown = await Promise.all(tickets.map(async (ticket) => (await seller.get<Ticket>(`/api/tickets/${ticket.id}`)).body));
      return shown.every((ticket) => !reservedBy.has(ticket.id) || ticket.available === 0 || ticket.version >= 2);
    },
    SETTLE_MS,
    'tickets to reserve every order',
  );
};

/** Unpaid orders all expire, each exactly once: cancelled at version 1 (a second cancellation would make it 2). */
const expiredOnce = async (ids: string[]) => {
  const orders = await eventually(
    async () => {
      const stored = await sut.databases.find<StoredOrder>('orders', 'orders', { _id: { $in: objectIds(ids) } });
      return stored.every((order) => order.status === 'cancelled') ? stored : undefined;
    },
    SETTLE_MS,
    'every order to expire',
  );
  expect(orders.map((order) => order.version)).toEqual(ids.map(() => 1));
  return orders;
};

it('starts three processes of each service behind the gateway, and each live process pushes every event', async () => {
  for (const replicas of Object.values(sut.system.replicas)) expect(replicas).toHaveLength(REPLICAS);
  const sockets = sut.system.replicas.live.map((live) => new WebSocket(`${live.url.replace('http', 'ws')}/api/live`));
  type Pushed = { type: string; data: { id: string } };
  const received = sockets.map(() => [] as Pushed[]);
  sockets.forEach((socket, i) => socket.on('message', (data) => received[i].push(JSON.parse((data as Buffer).toString()) as Pushed)));
  await Promise.all(sockets.map((socket) => new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))));
  try {
    const seller = await signUp('live-seller');
    const [ticket] = await listTickets(seller, 1, 'Live');
    await waitUntil(
      () => received.every((messages) => messages.some((m) => m.type === 'ticket:changed' && m.data.id === ticket.id)),
      20_000,
      'every live process to push the new ticket',
    );
    replicasFigure(`live: a ticket:created reached the sockets of all ${REPLICAS} live processes`);
  } finally {
    sockets.forEach((socket) => socket.close());
  }
}, 60_000);

it('the sign-in limit holds across the auth processes (one count in Redis)', async () => {
  const email = uniqueEmail('locked');
  await ApiClient.signUp(sut.system.url, email);
  const guesser = new ApiClient(sut.system.url);
  // SIGNIN_ACCOUNT_LIMIT is 5: the round-robin spreads the six guesses over the three processes.
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await guesser.post('/api/users/signin', { email, password: `wrong-${i}` })).status);
  expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  replicasFigure(`sign-in limit: 6 wrong passwords for one email over ${REPLICAS} auth processes -> ${statuses.join(', ')}`);
}, 60_000);

it('no oversell: 1,000 simultaneous orders for 20 tickets sell 20', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 20, 'Race');
  const buyers = await signUpMany('racer', 50);
  const chargesBefore = stripe.done('POST /v1/charges');

  const startedAt = Date.now();
  const attempts = await Promise.all(
    tickets.flatMap((ticket) =>
      buyers.map(async (buyer) => ({ ticket, buyer, res: await buyer.post<Order>('/api/orders', { ticketId: ticket.id }) })),
    ),
  );
  const raceMs = Date.now() - startedAt;
  const winners = attempts.filter((attempt) => attempt.res.status === 201);
  const statuses = attempts.reduce<Record<number, number>>((acc, { res }) => ({ ...acc, [res.status]: (acc[res.status] ?? 0) + 1 }), {});
  expect(statuses).toEqual({ 201: 20, 400: 980 });
  for (const ticket of tickets) expect(winners.filter((w) => w.ticket.id === ticket.id)).toHaveLength(1);

  // Every winner pays; each ticket is sold exactly once.
  const paid = await Promise.all(winners.map(({ buyer, res }) => buyer.payWhenKnown(res.body.id)));
  paid.forEach((res) => expect(res.status).toBe(202));
  await waitUntil(
    async () =>
      (await sut.databases.count('orders', 'orders', {
        _id: { $in: objectIds(winners.map((w) => w.res.body.id)) },
        status: 'complete',
      })) === 20,
    SETTLE_MS,
    'the 20 orders to complete',
  );
  const stored = await storedOrdersFor(tickets);
  expect(stored).toHaveLength(20);
  expect(stripe.done('POST /v1/charges') - chargesBefore).toBe(20);
  replicasFigure(
    `no oversell: 1000 simultaneous orders for 20 tickets in ${raceMs} ms -> ${JSON.stringify(statuses)}; 20 paid, 20 complete, Stripe charged 20`,
  );
}, 300_000);

it("the limit per buyer holds across the orders processes: one buyer's 30 simultaneous orders never pass it", async () => {
  const seller = await signUp('seller');
  const buyer = await signUp('hoarder');
  const listed = await seller.post<Ticket>('/api/tickets', { title: 'Limited', price: 15, quantity: 100, limitPerBuyer: 4 });
  await waitUntil(async () => (await replicaCount('orders', 'tickets', [listed.body.id])) === 1, 30_000, 'orders to replicate it');

  const attempts = await Promise.all(range(30).map(() => buyer.post<Order>('/api/orders', { ticketId: listed.body.id })));

  const statuses = attempts.reduce<Record<number, number>>((acc, res) => ({ ...acc, [res.status]: (acc[res.status] ?? 0) + 1 }), {});
  expect(statuses).toEqual({ 201: 4, 400: 26 });
  const stored = await sut.databases.find<{ status: string }>('orders', 'orders', { ticket: new Types.ObjectId(listed.body.id) });
  expect(stored.filter((order) => order.status !== 'cancelled')).toHaveLength(4);
  replicasFigure(
    `limit per buyer: 30 simultaneous one-unit orders by one buyer, limit 4, over ${REPLICAS} orders processes -> ${JSON.stringify(statuses)}`,
  );
}, 120_000);

it('no lost event: one orders process SIGKILLed mid-burst, with events it stored and never published', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 60, 'Kill');
  const buyers = await signUpMany('killed', 60);
  const victim = sut.system.replicas.orders[1];

  // The orders processes cannot reach the broker during the burst: every order they store waits in its
  // outbox, so the killed process surely leaves some behind, which only another process can publish.
  ordersToBroker.pause();
  const [answers] = await Promise.all([
    Promise.all(
      buyers.map(async (buyer, i) => {
        await sleep(i * 25);
        return buyer.post<Order>('/api/orders', { ticketId: tickets[i].id }).catch(() => ({ status: 0 }));
      }),
    ),
    (async () => {
      await sleep(700);
      await victim.kill('SIGKILL');
    })(),
  ]);
  const tally = answers.reduce<Record<number, number>>((acc, { status }) => ({ ...acc, [status]: (acc[status] ?? 0) + 1 }), {});
  // Only a request in flight at the killed process fails (502 from the gateway); the rest go to the others.
  expect(answers.filter(({ status }) => status !== 201 && status !== 502)).toEqual([]);

  // What orders stored, whatever the client was told, must reach every consumer.
  const stored = await storedOrdersFor(tickets);
  expect(stored.length).toBeGreaterThanOrEqual(answers.filter(({ status }) => status === 201).length);
  const ids = stored.map((order) => String(order._id));
  const unpublished = () => sut.databases.count('orders', 'orders', { _id: { $in: objectIds(ids) }, 'outbox.0': { $exists: true } });
  const waiting = await unpublished();
  ordersToBroker.resume();
  const resumedAt = Date.now();
  // The survivors publish their own within seconds; the dead process's wait for a survivor's sweep (every 30 s).
  await waitUntil(async () => (await unpublished()) === 0, SETTLE_MS, 'every outbox to be emptied');
  const emptiedMs = Date.now() - resumedAt;
  await everyOrderArrived(stored, tickets, seller);
  const arrivedMs = Date.now() - resumedAt;
  await expiredOnce(ids);
  const duplicates = publishedTimes(Subjects.OrderCreated, ids).filter((times) => times > 1).length;
  await victim.start();
  replicasFigure(
    `orders process killed mid-burst: 60 orders -> ${JSON.stringify(tally)}; ${stored.length} stored, ` +
      `${waiting} of them unpublished when the broker came back, the last published ${emptiedMs} ms after, ` +
      `all reached tickets, payments and expiration ${arrivedMs} ms after, 0 lost; all ${stored.length} expired exactly once; ` +
      `order:created published twice for ${duplicates}`,
  );
}, 300_000);

it('no lost event: the broker restarted mid-burst', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 30, 'Broker');
  const buyers = await signUpMany('broker', 30);

  const { answers, restartMs, restartedAt } = await ordersDuringRestart(buyers, tickets, {
    staggerMs: 30,
    restartAfterMs: 300,
    restart: () => sut.infra.servers.nats!.restart(),
  });
  const created = answers.filter((res) => res.status === 201);
  expect(answers.filter((res) => res.status !== 201 && res.status !== 502)).toEqual([]);
  const stored = await storedOrdersFor(tickets);
  expect(stored.length).toBeGreaterThanOrEqual(created.length);
  await everyOrderArrived(stored, tickets, seller);
  const delayMs = Date.now() - restartedAt;
  await expiredOnce(stored.map((order) => String(order._id)));
  replicasFigure(
    `broker restarted mid-burst (${restartMs} ms): 30 orders -> ${created.length} × 201; ${stored.length} stored, every one reached ` +
      `tickets, payments and expiration ${delayMs} ms after the restart, 0 lost; all expired exactly once`,
  );
}, 300_000);

it('no double charge: each payment sent 10 times at once, over the payments processes', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 10, 'Charge');
  const buyers = await signUpMany('payer', 10);
  const orders = await Promise.all(
    buyers.map(async (buyer, i) => (await buyer.post<Order>('/api/orders', { ticketId: tickets[i].id })).body),
  );
  const ids = orders.map((order) => order.id);
  await waitUntil(async () => (await replicaCount('payments', 'orders', ids)) === ids.length, 30_000, 'payments replica');
  const before = stripe.done('POST /v1/charges');

  const posts = await Promise.all(
    orders.flatMap((order, i) => range(10).map(() => buyers[i].post('/api/payments', { orderId: order.id, token: 'tok_visa' }))),
  );
  for (const [i] of orders.entries()) {
    expect(
      posts
        .slice(i * 10, i * 10 + 10)
        .map((res) => res.status)
        .sort(),
    ).toEqual([202, ...Array<number>(9).fill(400)]);
  }
  await waitUntil(
    async () => (await sut.databases.count('orders', 'orders', { _id: { $in: objectIds(ids) }, status: 'complete' })) === ids.length,
    SETTLE_MS,
    'every order to complete',
  );
  expect(stripe.done('POST /v1/charges') - before).toBe(ids.length);
  const created = publishedTimes(Subjects.PaymentCreated, ids, 'orderId');
  replicasFigure(
    `no double charge: 10 orders, each paid 10 times at once over ${REPLICAS} payments processes -> 10 × (1 × 202, 9 × 400); ` +
      `Stripe charged ${stripe.done('POST /v1/charges') - before}, 10 complete; payment:created published ${created.reduce((a, b) => a + b, 0)} times`,
  );
}, 300_000);

it('version ordering: rapid edits reach the orders replica in order', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 5, 'Edit');
  for (let edit = 1; edit <= 10; edit++) {
    const res = await Promise.all(
      tickets.map((ticket) => seller.put(`/api/tickets/${ticket.id}`, { title: ticket.title, price: 10 + edit })),
    );
    res.forEach((r) => expect(r.status).toBe(200));
  }
  await waitUntil(
    async () =>
      (await sut.databases.count('orders', 'tickets', { _id: { $in: objectIds(tickets.map((t) => t.id)) }, version: 10, price: 20 })) === 5,
    30_000,
    'orders to apply the ten edits of each ticket',
  );
  replicasFigure(
    `ordering: 5 tickets edited 10 times each, consumed by ${REPLICAS} orders processes -> every replica at version 10 with the last price`,
  );
}, 120_000);
