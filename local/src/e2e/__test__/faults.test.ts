import { Types } from 'mongoose';
import { connectEventBus, databaseUri, Subjects } from '@ticketing/common';
import { orderCancelledData, sleep } from '@ticketing/common/testing';
import type { BalanceEntry, Order, Ticket } from '@ticketing/common/api';
import { freePort } from '../../infra/process';
import { ServiceProcess } from '../../system/service-process';
import { ApiClient, eventually, waitUntil } from '../api-client';
import { CountingProxy } from '../counting-proxy';
import { figure } from '../figures';
import { ordersDuringRestart } from '../order-burst';
import { numberedListings, range, useSystem } from '../system-under-test';
import { TcpProxy } from '../tcp-proxy';

// The guarantees of docs/design.md across the running system, with real processes killed and restarted.
// Each scenario prints one `[figure]` line.
const EXPIRY_SECONDS = 12;
const SETTLE_MS = (EXPIRY_SECONDS + 20) * 1000;

let ordersToNats: TcpProxy;
let paymentsToMongo: TcpProxy;
let stripe: CountingProxy;
const events: { subject: Subjects; data: Record<string, unknown>; at: number }[] = [];

/** The database `name` on the server `serverUri` names, reached through the proxy on `port`. */
const databaseThrough = (serverUri: string, port: number, name: string) => {
  const url = new URL(serverUri);
  url.port = String(port);
  return databaseUri(url.toString(), name);
};

const sut = useSystem({
  infra: ['mongo', 'nats', 'redis', 'stripe'],
  startTimeoutMs: 180_000,
  system: async ({ infra, closeAtEnd }) => {
    ordersToNats = closeAtEnd(await TcpProxy.start(Number(new URL(infra.env.NATS_URL).port)));
    paymentsToMongo = closeAtEnd(await TcpProxy.start(Number(new URL(infra.env.MONGO_URI).port)));
    stripe = closeAtEnd(await CountingProxy.start(infra.env.STRIPE_API_URL));
    return {
      expirationWindowSeconds: EXPIRY_SECONDS,
      serviceEnv: {
        // The hold repair passes every second rather than every minute.
        orders: { NATS_URL: ordersToNats.urlFor(infra.env.NATS_URL_ORDERS), HOLD_REPAIR_INTERVAL_MS: '1000' },
        // A poison message is parked after 3 deliveries (5 s apart), not the default 20.
        // The reconciler resolves attempts pending 8 s (a restart's worth), every 2 s, rather than after minutes.
        // Its database is reached through a proxy that can cut it.
        payments: {
          MONGO_URI: databaseThrough(infra.env.MONGO_URI, paymentsToMongo.port, 'payments'),
          STRIPE_API_URL: stripe.url,
          EVENT_MAX_DELIVERIES: '3',
          PAYMENT_RECONCILE_AFTER_MS: '8000',
          PAYMENT_RECONCILE_INTERVAL_MS: '2000',
        },
        tickets: { EVENT_MAX_DELIVERIES: '3' },
      },
      onEvent: (subject, data) => events.push({ subject, data: data as Record<string, unknown>, at: Date.now() }),
    };
  },
});
const { signUp } = sut;
const signUpMany = (name: string, n: number) => Promise.all(range(n).map((i) => signUp(`${name}${i}`)));

// The orders service must know every ticket before buyers race for it.
const listTickets = (seller: ApiClient, n: number, label: string): Promise<Ticket[]> => sut.listAll(seller, numberedListings(n, label));

const objectIds = (ids: string[]) => ids.map((id) => new Types.ObjectId(id));

const replicaCount = async (service: 'orders' | 'payments', collection: string, ids: string[]) =>
  sut.databases.count(service, collection, { _id: { $in: objectIds(ids) } });

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

type StoredPayment = { orderId: unknown; status: string; orderCancelled?: boolean };

/** The orders' payments once none is pending and no refund is due any more. */
const paymentsSettled = (orderIds: string[], timeoutMs = SETTLE_MS) =>
  eventually(
    async () => {
      const stored = await sut.databases.find<StoredPayment>('payments', 'payments', { orderId: { $in: objectIds(orderIds) } });
      const open = stored.filter((p) => p.status === 'pending' || (p.status === 'succeeded' && p.orderCancelled));
      return open.length === 0 ? stored : undefined;
    },
    timeoutMs,
    'payments to settle',
  );

/** Places one order per buyer, each for its own ticket, once payments knows every one of them. */
const placeOrders = async (buyers: ApiClient[], tickets: Ticket[]) => {
  const placed = await Promise.all(buyers.map((buyer, i) => buyer.post<Order>('/api/orders', { ticketId: tickets[i].id })));
  placed.forEach((res) => expect(res.status).toBe(201));
  const orders = placed.map((res) => res.body);
  await waitUntil(
    async () =>
      (await replicaCount(
        'payments',
        'orders',
        orders.map((o) => o.id),
      )) === orders.length,
    30_000,
    'payments replica',
  );
  return orders;
};

/** Runs `task` over `items`, `limit` at a time. */
const inBatches = async <T, R>(items: T[], limit: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> => {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    results.push(...(await Promise.all(items.slice(start, start + limit).map((item, j) => task(item, start + j)))));
  }
  return results;
};

/** Stripe's own count: distinct idempotency keys it answered with success. */
const stripeDone = () => ({ charges: stripe.done('POST /v1/charges'), refunds: stripe.done('POST /v1/refunds') });

it('no oversell: 50 buyers race for each of 20 tickets at once', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 20, 'Race');
  const buyers = await signUpMany('racer', 50);

  const startedAt = Date.now();
  let raceMs = 0;
  const attempts = await Promise.all(
    tickets.flatMap((ticket) =>
      buyers.map(async (buyer) => {
        const res = await buyer.post<Order>('/api/orders', { ticketId: ticket.id });
        raceMs = Math.max(raceMs, Date.now() - startedAt);
        // A winner pays at once: on a busy machine the race of 1,000 orders can outlast the 12 s an order holds its ticket.
        const payment = res.status === 201 ? await pay(buyer, res.body.id) : undefined;
        return { ticket, buyer, res, payment };
      }),
    ),
  );

  const winners = attempts.filter((attempt) => attempt.res.status === 201);
  const others = attempts.filter((attempt) => attempt.res.status !== 201);
  expect(others.every((attempt) => attempt.res.status === 400)).toBe(true);
  for (const ticket of tickets) expect(winners.filter((w) => w.ticket.id === ticket.id)).toHaveLength(1);

  const payments = winners.map((winner) => winner.payment!);
  payments.forEach((payment) => expect(payment.status).toBe(202));
  const statuses = await settled(
    winners.map(({ buyer, res }) => ({ buyer, order: res.body })),
    'winners complete',
  );
  expect(statuses.every((status) => status === 'complete')).toBe(true);

  const orders = await sut.databases.find<{ status: string; ticket: unknown }>('orders', 'orders', {
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
  expect(shown.available).toBe(1);

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
    async () => (await seller.get<Ticket>(`/api/tickets/${ticket.id}`)).body.available === 0,
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
    ((await (await fetch(`${sut.system.services[service].url}/healthz`)).json()) as { deadLetters: number }).deadLetters;
  const parkedBefore = { tickets: await deadLettersOf('tickets'), payments: await deadLettersOf('payments') };

  // 20 cancellations naming tickets that never existed: more than a subscription's 16 messages in flight.
  const bus = await connectEventBus('poisoner', sut.system.env);
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
      return shown.version === 2 && shown.available === 1;
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

it("payments' database down longer than the dead-letter threshold while an order expires with its charge in flight: no money kept", async () => {
  const healthOfPayments = async () =>
    (await (await fetch(`${sut.system.services.payments.url}/healthz`)).json()) as {
      deadLetters: number;
      failing: Record<string, { messages: number; failures: number } | undefined>;
    };
  const seller = await signUp('seller');
  const [ticket] = await listTickets(seller, 1, 'Outage');
  const buyer = await signUp('outage-buyer');
  const [order] = await placeOrders([buyer], [ticket]);
  const before = { ...stripeDone(), deadLetters: (await healthOfPayments()).deadLetters };

  // Paid 4 s before expiry; Stripe answers 3 s after it got the charge, by when payments' database is gone.
  await sleep(Math.max(0, Date.parse(order.expiresAt) - Date.now() - 4_000));
  stripe.latency(3_000);
  const chargesAsked = stripe.count('POST /v1/charges');
  try {
    expect((await buyer.post('/api/payments', { orderId: order.id, token: 'tok_visa' })).status).toBe(202);
    await waitUntil(() => stripe.count('POST /v1/charges') > chargesAsked, 10_000, 'the charge to reach Stripe');
    paymentsToMongo.cut();
    const cutAt = Date.now();
    await waitUntil(() => stripe.done('POST /v1/charges') > before.charges, 10_000, 'Stripe to charge');
    stripe.up();

    const cancelled = await eventually(
      () => events.find((e) => e.subject === Subjects.OrderCancelled && e.data.id === order.id),
      30_000,
      'the order to expire',
    );
    // Past the threshold on both transports: without the retry rule, the third failed delivery parks order:cancelled.
    await sleep(cancelled.at + 50_000 - Date.now());
    const during = await eventually(
      async () => {
        const health = await healthOfPayments();
        return (health.failing[Subjects.OrderCancelled]?.failures ?? 0) >= 3 ? health : undefined;
      },
      60_000,
      'order:cancelled to fail as often as the threshold, and be retried',
    );
    expect(during.deadLetters).toBe(before.deadLetters);
    paymentsToMongo.resume();
    const resumedAt = Date.now();
    const downMs = resumedAt - cutAt;

    const [status] = await settled([{ buyer, order }], 'the order to settle');
    // A succeeded payment is final only for a complete order: a cancelled one's ends refunded (or failed, if never
    // charged). Past the wait, the state it is in is what the assertion below reports.
    const paymentOf = async () =>
      (await sut.databases.find<StoredPayment>('payments', 'payments', { orderId: objectIds([order.id])[0] }))[0];
    const isFinal = (payment?: StoredPayment) =>
      payment !== undefined && (status === 'complete' ? payment.status === 'succeeded' : ['refunded', 'failed'].includes(payment.status));
    const payment = await eventually(
      async () => {
        const stored = await paymentOf();
        return isFinal(stored) ? stored : undefined;
      },
      90_000,
      'the payment to be refunded',
    ).catch(paymentOf);
    const settledMs = Date.now() - resumedAt;
    const after = stripeDone();
    const charged = after.charges - before.charges;
    const refunded = after.refunds - before.refunds;
    const complete = status === 'complete' ? 1 : 0;
    expect(`${status}/${payment?.status}`).toBe('cancelled/refunded');
    expect(charged).toBe(complete + refunded);
    expect((await healthOfPayments()).deadLetters).toBe(before.deadLetters);

    const entries = await eventually(
      async () => {
        const shown = (await seller.get<BalanceEntry[]>('/api/balances/me/entries')).body;
        return shown.length === charged + refunded ? shown : undefined;
      },
      30_000,
      'the sale and its refund in the balance',
    );
    const sales = entries.filter((e) => e.kind === 'sale').reduce((sum, e) => sum + e.amountCents, 0);
    const refunds = -entries.filter((e) => e.kind === 'refund').reduce((sum, e) => sum + e.amountCents, 0);
    const { balanceCents } = (await seller.get<{ balanceCents: number }>('/api/balances/me')).body;
    expect(balanceCents).toBe(sales - refunds);
    figure(
      `dead letters: payments' database unreachable ${(downMs / 1000).toFixed(0)} s (order:cancelled failed ${during.failing[Subjects.OrderCancelled]?.failures} times, ` +
        `threshold 3) while the order expired with its charge in flight -> order ${status}, payment ${payment?.status} ${(settledMs / 1000).toFixed(1)} s after it came back, 0 parked; ` +
        `charges ${charged} = complete ${complete} + refunded ${refunded}; balances = Σ sales ${sales} − Σ refunds ${refunds} = ${balanceCents} cents`,
    );
  } finally {
    stripe.up();
    paymentsToMongo.resume();
  }
}, 240_000);

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
  expect(await sut.databases.count('orders', 'orders', { _id: { $in: objectIds(orderIds) }, 'outbox.0': { $exists: true } })).toBe(10);

  await sut.system.services.orders.kill('SIGKILL');
  // Tickets keep changing while orders is down.
  for (const ticket of busy)
    expect((await seller.put(`/api/tickets/${ticket.id}`, { title: `${ticket.title} (moved)`, price: 99 })).status).toBe(200);
  ordersToNats.resume();
  const restartedAt = Date.now();
  await sut.system.services.orders.start();

  await waitUntil(
    async () => {
      const shown = await Promise.all(
        tickets.map(async (ticket) => (await seller.get<Ticket>(`/api/tickets/${ticket.id}`)).body.available),
      );
      return shown.every((available) => available === 0);
    },
    30_000,
    'tickets to be reserved',
  );
  await waitUntil(async () => (await replicaCount('payments', 'orders', orderIds)) === 10, 30_000, 'payments replica');
  await waitUntil(
    async () => (await sut.databases.count('orders', 'tickets', { _id: { $in: objectIds(busy.map((t) => t.id)) }, version: 1 })) === 5,
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

describe('hold repair keeps up with the order rate', () => {
  const ORPHANS = 3000;
  const BURST_BUYERS = 40;
  const ORDERS_EACH = 5;
  const UNITS = 10_000;

  const listLarge = async (seller: ApiClient, n: number, label: string) => {
    const listed = await sut.listAll(
      seller,
      range(n).map((i) => ({ title: `${label} ${i}`, price: 10, quantity: UNITS })),
    );
    return listed.map((ticket) => ticket.id);
  };

  /** Orders per second the service takes: buyers ordering one after another, all of them at once. */
  const measureOrderRate = async (ticketIds: string[]) => {
    const buyers = await signUpMany('rate', BURST_BUYERS);
    const startedAt = Date.now();
    const placed = await Promise.all(
      buyers.map(async (buyer, i) => {
        const ids: string[] = [];
        for (let n = 0; n < ORDERS_EACH; n++) {
          const res = await buyer.post<Order>('/api/orders', { ticketId: ticketIds[(i + n) % ticketIds.length] });
          expect(res.status).toBe(201);
          ids.push(res.body.id);
        }
        return ids;
      }),
    );
    return { orderIds: placed.flat(), perSecond: (BURST_BUYERS * ORDERS_EACH * 1000) / (Date.now() - startedAt) };
  };

  /** What orders processes killed mid-rush leave, at scale: holds (chain steps) whose orders were never stored, past the grace. */
  const orphanHolds = async (ticketIds: string[]) => {
    const perTicket = ORPHANS / ticketIds.length;
    const createdAt = new Date(Date.now() - 5 * 60_000);
    const steps = ticketIds.flatMap((ticketId) =>
      range(perTicket).map((i) => {
        const orderId = String(new Types.ObjectId());
        const seq = i + 1;
        return { _id: `${ticketId}:${seq}`, ticketId, seq, held: seq, change: 1, kind: 'hold', orderId, op: `hold:${orderId}`, createdAt };
      }),
    );
    await (await sut.databases.of('orders')).collection<{ _id: string }>('stockentries').insertMany(steps);
    return steps.map((step) => step.orderId);
  };

  it('thousands of holds left without orders are released faster than orders arrive; no stored order loses its units', async () => {
    const seller = await signUp('seller');
    const burstTickets = await listLarge(seller, 10, 'Rush');
    const orphanTickets = await listLarge(seller, 20, 'Orphaned');
    const rate = await measureOrderRate(burstTickets);
    // The burst's holds look as old as the orphans': the repair must find their orders and leave them held.
    await sut.databases.update(
      'orders',
      'stockentries',
      { ticketId: { $in: burstTickets } },
      { $set: { createdAt: new Date(Date.now() - 5 * 60_000) } },
    );

    const orphanIds = await orphanHolds(orphanTickets);
    const startedAt = Date.now();
    const released = () => sut.databases.count('orders', 'stockentries', { ticketId: { $in: orphanTickets }, kind: 'release' });
    await waitUntil(async () => (await released()) === ORPHANS, 200_000, 'the orphaned holds to be released');
    const repairSeconds = (Date.now() - startedAt) / 1000;
    const repairRate = ORPHANS / repairSeconds;

    expect(await sut.databases.count('orders', 'orders', { _id: { $in: objectIds(orphanIds) }, abandoned: true })).toBe(ORPHANS);
    const releasedBurst = await sut.databases.find<{ orderId: string }>('orders', 'stockentries', {
      ticketId: { $in: burstTickets },
      kind: 'release',
    });
    const releasedIds = releasedBurst.map((entry) => entry.orderId);
    // A burst order's units go back only once it is cancelled (it expires after 12 s), never by the repair.
    expect(await sut.databases.count('orders', 'orders', { _id: { $in: objectIds(releasedIds) }, status: { $ne: 'cancelled' } })).toBe(0);
    expect(await sut.databases.count('orders', 'orders', { _id: { $in: objectIds(rate.orderIds) }, abandoned: true })).toBe(0);
    expect(repairRate).toBeGreaterThan(rate.perSecond);
    figure(
      `hold repair: ${ORPHANS} orphaned holds released in ${repairSeconds.toFixed(1)} s (${repairRate.toFixed(0)}/s) ` +
        `vs measured order rate ${rate.perSecond.toFixed(0)}/s (${rate.orderIds.length} orders, ${BURST_BUYERS} buyers at once; ` +
        `a repair pass every 1 s); 0 holds released under a stored order`,
    );
  }, 300_000);
});

it('no lost event: the event broker (nats-streaming-server, or nats-server with JetStream) restarts during a burst of orders', async () => {
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 12, 'Burst');
  const buyers = await signUpMany('burst', 12);

  const {
    answers: placed,
    restartMs,
    restartedAt,
  } = await ordersDuringRestart(buyers, tickets, {
    staggerMs: 40,
    restartAfterMs: 150,
    restart: () => sut.infra.servers.nats!.restart(),
  });
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
  for (const [i, res] of paid.entries()) expect((await pay(buyers[i], res.body.id)).status).toBe(202);
  const statuses = await settled(
    buyers.map((buyer, i) => ({ buyer, order: placed[i].body })),
    'every order to complete or expire',
  );
  expect(statuses.slice(0, 6).every((status) => status === 'complete')).toBe(true);
  expect(statuses.slice(6).every((status) => status === 'cancelled')).toBe(true);
  // The event log (`npm start -- --events`) kept watching through the restart: it saw every outcome, all of them later.
  const outcomeSeen = (orderId: string) =>
    events.some(
      (e) =>
        (e.subject === Subjects.PaymentCreated && e.data.orderId === orderId) ||
        (e.subject === Subjects.OrderCancelled && e.data.id === orderId),
    );
  await waitUntil(() => orderIds.every(outcomeSeen), 20_000, 'the event log to see each order complete or expire');
  figure(
    `no lost event (${sut.infra.servers.nats!.name} restart, EVENT_BUS=${sut.infra.env.EVENT_BUS}): restarted in ${restartMs} ms during a burst of 12 orders; every order:created reached payments ` +
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
  await sut.system.services.expiration.kill('SIGKILL');
  await sut.infra.servers.redis!.restart();
  await sleep(2_000);
  await sut.system.services.expiration.start();

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

  const chargesBefore = stripe.done('POST /v1/charges');
  const burst = await Promise.all(range(10).map(() => buyer.post('/api/payments', { orderId: burstOrder.id, token: 'tok_visa' })));
  expect(burst.map((res) => res.status).sort()).toEqual([202, ...Array<number>(9).fill(400)]);
  await waitUntil(async () => (await statusOf(buyer, burstOrder.id)) === 'complete', 20_000, 'the burst order to complete');
  expect(stripe.done('POST /v1/charges') - chargesBefore).toBe(1);

  const racers = await signUpMany('racer-pay', racing.length);
  const orders = await placeOrders(racers, racing);
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
  const stored = await paymentsSettled(orders.map((o) => o.id));
  const paymentOf = (orderId: string) => stored.find((payment) => String(payment.orderId) === orderId);
  const outcomes = orders.map((raceOrder, i) => `${statuses[i]}/${paymentOf(raceOrder.id)?.status ?? 'none'}`);
  for (const outcome of outcomes)
    expect(['complete/succeeded', 'cancelled/none', 'cancelled/failed', 'cancelled/refunded']).toContain(outcome);
  const tally = outcomes.reduce<Record<string, number>>((acc, outcome) => ({ ...acc, [outcome]: (acc[outcome] ?? 0) + 1 }), {});
  figure(
    `no double charge: 10 identical payments -> 1 × 202, 9 × 400, Stripe charged 1 time; ` +
      `${orders.length} payments racing expiry -> ${JSON.stringify(tally)}, 0 charged-and-cancelled`,
  );
}, 240_000);

describe('payments through the worker queue', () => {
  const seconds = (ms: number) => (ms / 1000).toFixed(1);

  it('200 orders paid while Stripe is unreachable for 60 s: each ends complete, or cancelled and refunded', async () => {
    const seller = await signUp('seller');
    const tickets = await listTickets(seller, 200, 'Outage');
    const buyers = await signUpMany('outage', 200);
    const orders = await placeOrders(buyers, tickets);
    const before = stripeDone();

    stripe.down();
    const downAt = Date.now();
    const posts = await inBatches(orders, 20, (order, i) => buyers[i].post('/api/payments', { orderId: order.id, token: 'tok_visa' }));
    posts.forEach((res) => expect(res.status).toBe(202));
    await sleep(60_000 - (Date.now() - downAt));
    stripe.up();
    const upAt = Date.now();

    const statuses = await settled(
      orders.map((order, i) => ({ buyer: buyers[i], order })),
      'every order to complete or be cancelled',
    );
    const payments = await paymentsSettled(
      orders.map((o) => o.id),
      120_000,
    );
    const settledMs = Date.now() - upAt;
    const after = stripeDone();
    const charged = after.charges - before.charges;
    const refunded = after.refunds - before.refunds;
    const complete = statuses.filter((status) => status === 'complete').length;
    const paymentOf = (orderId: string) => payments.find((p) => String(p.orderId) === orderId)?.status;
    const outcomes = orders.map((order, i) => `${statuses[i]}/${paymentOf(order.id)}`);
    for (const outcome of outcomes) expect(['complete/succeeded', 'cancelled/refunded', 'cancelled/failed']).toContain(outcome);
    expect(charged).toBe(complete + refunded);
    const tally = outcomes.reduce<Record<string, number>>((acc, outcome) => ({ ...acc, [outcome]: (acc[outcome] ?? 0) + 1 }), {});
    figure(
      `stripe outage: 200 orders paid (200 × 202) while Stripe was unreachable for 60 s -> ${JSON.stringify(tally)}; ` +
        `Stripe charged ${charged} = ${complete} complete + ${refunded} refunded; all settled ${seconds(settledMs)} s after Stripe came back, 0 pending`,
    );
  }, 420_000);

  it('payments SIGKILLed after Stripe charged, before it stored the charge: the reconciler records it', async () => {
    const seller = await signUp('seller');
    const [ticket] = await listTickets(seller, 1, 'Killed');
    const buyer = await signUp('killed');
    const [order] = await placeOrders([buyer], [ticket]);
    const before = stripeDone();

    stripe.swallow();
    expect((await buyer.post('/api/payments', { orderId: order.id, token: 'tok_visa' })).status).toBe(202);
    await waitUntil(() => stripe.done('POST /v1/charges') > before.charges, 20_000, 'Stripe to charge');
    await sut.system.services.payments.kill('SIGKILL');
    stripe.up();
    const restartedAt = Date.now();
    await sut.system.services.payments.start();

    const [payment] = await paymentsSettled([order.id], 60_000);
    const resolvedMs = Date.now() - restartedAt;
    const [status] = await settled([{ buyer, order }], 'the order to settle');
    expect([`${status}/${payment.status}`]).toEqual([expect.stringMatching(/^(complete\/succeeded|cancelled\/refunded)$/)]);
    const after = stripeDone();
    expect(after.charges - before.charges).toBe(1);
    expect(after.refunds - before.refunds).toBe(status === 'complete' ? 0 : 1);
    figure(
      `payments killed mid-charge: Stripe charged, payments SIGKILLed before storing it; after the restart the reconciler resolved it in ` +
        `${seconds(resolvedMs)} s -> order ${status}, payment ${payment.status}; Stripe charged 1 time, refunded ${after.refunds - before.refunds}`,
    );
  }, 180_000);

  it('two replicas of payments on the same queue: no double charge', async () => {
    const first = sut.system.services.payments;
    const port = await freePort();
    const env = { ...first.options.env, PORT: String(port), METRICS_PORT: String(await freePort()) };
    const second = new ServiceProcess({ ...first.options, port, env });
    await second.start();
    try {
      const seller = await signUp('seller');
      const tickets = await listTickets(seller, 40, 'Replicas');
      const buyers = await signUpMany('replica', 40);
      const orders = await placeOrders(buyers, tickets);
      const before = { ...stripeDone(), posts: stripe.count('POST /v1/charges') };

      // Each order paid three times at once: twice through the gateway (the first replica), once at the second.
      const direct = (buyer: ApiClient) => new ApiClient(second.url).withCookieOf(buyer);
      const posts = await Promise.all(
        orders.flatMap((order, i) => [
          buyers[i].post('/api/payments', { orderId: order.id, token: 'tok_visa' }),
          buyers[i].post('/api/payments', { orderId: order.id, token: 'tok_visa' }),
          direct(buyers[i]).post('/api/payments', { orderId: order.id, token: 'tok_visa' }),
        ]),
      );
      expect(posts.filter((res) => res.status === 202)).toHaveLength(40);
      const statuses = await settled(
        orders.map((order, i) => ({ buyer: buyers[i], order })),
        'orders to settle',
      );
      await paymentsSettled(orders.map((o) => o.id));
      const complete = statuses.filter((status) => status === 'complete').length;
      const after = { ...stripeDone(), posts: stripe.count('POST /v1/charges') };
      expect(after.charges - before.charges).toBe(complete + (after.refunds - before.refunds));
      expect(after.charges - before.charges).toBeLessThanOrEqual(40);
      figure(
        `two replicas: 40 orders paid 3 times each across 2 payments processes on one queue -> 40 × 202, 80 × 400; ` +
          `Stripe charged ${after.charges - before.charges} (${after.posts - before.posts} requests), ${complete} complete, 0 charged twice`,
      );
    } finally {
      await second.stop();
    }
  }, 240_000);

  it('POST /api/payments answers at once while Stripe takes 2 s', async () => {
    const seller = await signUp('seller');
    const tickets = await listTickets(seller, 100, 'Latency');
    const buyers = await signUpMany('latency', 100);
    const orders = await placeOrders(buyers, tickets);

    stripe.latency(2_000);
    try {
      const timings = await inBatches(orders, 4, async (order, i) => {
        const startedAt = performance.now();
        const res = await buyers[i].post('/api/payments', { orderId: order.id, token: 'tok_visa' });
        expect(res.status).toBe(202);
        return performance.now() - startedAt;
      });
      const sorted = [...timings].sort((a, b) => a - b);
      const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
      figure(
        `payment latency: 100 POST /api/payments (4 at a time) with 2 s injected Stripe latency -> p50 ${p(0.5).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms (target < 150 ms)`,
      );
      // Far below Stripe's 2 s: the request never waits for Stripe. The 150 ms target is the figure's, read on a quiet machine.
      expect(p(0.99)).toBeLessThan(1_000);
      // The charges themselves take 100 × 2 s over 8 workers (25 s) at best: the settle budget starts after that.
      await paymentsSettled(
        orders.map((o) => o.id),
        (orders.length * 2_000) / 8 + SETTLE_MS,
      );
    } finally {
      stripe.up();
    }
  }, 240_000);
});
