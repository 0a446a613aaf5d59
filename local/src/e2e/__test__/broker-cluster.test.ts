import { Types } from 'mongoose';
import { Subjects } from '@ticketing/common';
import { publishThrough, sleep, streamCluster } from '@ticketing/common/testing';
import type { Order, Ticket } from '@ticketing/common/api';
import type { Server } from '../../infra/servers';
import { ApiClient, eventually, waitUntil } from '../api-client';
import { figure } from '../figures';
import { ordersDuringRestart } from '../order-burst';
import { numberedListings, range, useSystem } from '../system-under-test';

// The event bus as a JetStream cluster of three nats-servers (`npm start -- --event-bus jetstream --brokers 3`),
// the stream and its consumers in three copies: a server killed or cut off loses no event. One `[figure]` line each.
const EXPIRY_SECONDS = 40;
const SETTLE_MS = (EXPIRY_SECONDS + 40) * 1000;
const ELECTION_TIMEOUT_MS = 30_000;

const events: { subject: Subjects; data: Record<string, unknown>; at: number }[] = [];

const sut = useSystem({
  infra: ['mongo', 'nats', 'redis', 'stripe'],
  brokers: 3,
  startTimeoutMs: 180_000,
  system: {
    expirationWindowSeconds: EXPIRY_SECONDS,
    onEvent: (subject, data) => events.push({ subject, data: data as Record<string, unknown>, at: Date.now() }),
  },
});
const { signUp } = sut;

const natsUrl = () => sut.infra.env.NATS_URL;
const signUpMany = async (name: string, n: number) => {
  const clients: ApiClient[] = [];
  for (let start = 0; start < n; start += 8)
    clients.push(...(await Promise.all(range(Math.min(8, n - start)).map((i) => signUp(`${name}${start + i}`)))));
  return clients;
};
const listTickets = (seller: ApiClient, n: number, label: string): Promise<Ticket[]> =>
  sut.listAll(seller, numberedListings(n, label), 30_000);

const memberNamed = (name: string | undefined): Server => {
  const member = sut.infra.brokers.find((server) => server.name === name);
  if (!member) throw new Error(`no local broker named ${name}`);
  return member;
};

/** The stream's leader, as the members still up report it; waits out an election (none while there is no quorum). */
const currentLeader = (other: string | undefined = undefined) =>
  eventually(
    async () => {
      const { leader } = await streamCluster(natsUrl()).catch(() => ({ leader: undefined }));
      return leader && leader !== other ? leader : undefined;
    },
    ELECTION_TIMEOUT_MS,
    'a stream leader',
  );

/** Servers killed by a test, restarted after it so that the next one starts with all three. */
const killed = new Set<Server>();
afterEach(async () => {
  for (const member of killed) await member.restart();
  killed.clear();
});

/** Restarts a killed server and waits until the stream's leader counts it current again, as its readiness probe would. */
const restartAndCatchUp = async (member: Server) => {
  await member.restart();
  killed.delete(member);
  await eventually(
    async () => {
      const { peers } = await streamCluster(natsUrl()).catch(() => ({ peers: [] }));
      return peers.some((peer) => peer.name === member.name && peer.current) || undefined;
    },
    ELECTION_TIMEOUT_MS,
    `${member.name} to catch up`,
  );
};

/** SIGKILLs the stream's leader; resolves with it and how long the others took to elect another. */
const killLeader = async () => {
  const leader = await currentLeader();
  const member = memberNamed(leader);
  const killedAt = Date.now();
  process.kill(member.pid()!, 'SIGKILL');
  killed.add(member);
  const next = await currentLeader(leader);
  return { member, killedAt, next, electionMs: Date.now() - killedAt };
};

const statusOf = async (buyer: ApiClient, orderId: string) => (await buyer.get<Order>(`/api/orders/${orderId}`)).body.status;
const settled = (pairs: { buyer: ApiClient; order: Order }[]) =>
  eventually(
    async () => {
      const statuses = await Promise.all(pairs.map(({ buyer, order }) => statusOf(buyer, order.id)));
      return statuses.every((status) => status === 'complete' || status === 'cancelled') ? statuses : undefined;
    },
    SETTLE_MS,
    'every order to complete or expire',
  );

/** How often each event about an order (or its ticket) crossed the bus: one row per order, one column per subject. */
const deliveriesOf = (orders: Order[]) =>
  orders.map((order) => {
    const about = (subject: Subjects, match: (data: Record<string, unknown>) => boolean) =>
      events.filter((e) => e.subject === subject && match(e.data)).length;
    return [
      about(Subjects.OrderCreated, (data) => data.id === order.id),
      about(Subjects.TicketUpdated, (data) => data.id === order.ticket.id),
      about(Subjects.ExpirationComplete, (data) => data.orderId === order.id),
      about(Subjects.PaymentCreated, (data) => data.orderId === order.id),
      about(Subjects.OrderCancelled, (data) => data.id === order.id),
    ].join(',');
  });

const payHalf = async (buyers: ApiClient[], orders: Order[]) => {
  for (const [i, order] of orders.slice(0, orders.length / 2).entries()) expect((await buyers[i].payWhenKnown(order.id)).status).toBe(202);
};

const replicaCount = (ids: string[]) =>
  sut.databases.count('payments', 'orders', { _id: { $in: ids.map((id) => new Types.ObjectId(id)) } });

/** When the first order:created after `at` crossed the bus: how long the order path was stalled by a fault at `at`. */
const firstEventAfter = (at: number) => events.find((e) => e.subject === Subjects.OrderCreated && e.at > at)?.at;

it('no lost event: the stream leader is SIGKILLed during a burst of orders and restarted, then a second server is killed', async () => {
  const N = 16;
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, 2 * N, 'Cluster');
  const buyers = await signUpMany('cluster', 2 * N);
  const { replicas } = await streamCluster(natsUrl());
  expect(replicas).toBe(3);

  // The same orders without a fault, for what "exactly as often" means.
  const control = await Promise.all(buyers.slice(0, N).map((buyer, i) => buyer.post<Order>('/api/orders', { ticketId: tickets[i].id })));
  control.forEach((res) => expect(res.status).toBe(201));
  await payHalf(
    buyers.slice(0, N),
    control.map((res) => res.body),
  );

  const faults: { killed: string; next: string; electionMs: number; killedAt: number }[] = [];
  const killAndRecord = async () => {
    const { member, killedAt, next, electionMs } = await killLeader();
    faults.push({ killed: member.name, next, electionMs, killedAt });
    return member;
  };
  const { answers } = await ordersDuringRestart(buyers.slice(N), tickets.slice(N), {
    staggerMs: 1_000,
    restartAfterMs: 300,
    restart: async () => {
      const first = await killAndRecord();
      await sleep(1_000);
      await restartAndCatchUp(first);
      await killAndRecord();
    },
  });
  answers.forEach((res) => expect(res.status).toBe(201));
  const faulted = answers.map((res) => res.body);
  const orderIds = [...control.map((res) => res.body.id), ...faulted.map((order) => order.id)];
  await waitUntil(async () => (await replicaCount(orderIds)) === orderIds.length, 30_000, 'order:created to reach payments');

  await payHalf(buyers.slice(N), faulted);
  const statuses = await settled([
    ...control.map((res, i) => ({ buyer: buyers[i], order: res.body })),
    ...faulted.map((order, i) => ({ buyer: buyers[N + i], order })),
  ]);
  expect(statuses.filter((status) => status === 'complete')).toHaveLength(N);
  // Late redeliveries would show here: give the consumers a moment beyond the settle.
  await sleep(3_000);
  expect(deliveriesOf(faulted)).toEqual(deliveriesOf(control.map((res) => res.body)));

  figure(
    `broker cluster (3 nats-servers, R3): ${faults
      .map(
        (fault, i) =>
          `kill ${i + 1} (${fault.killed}, stream leader, SIGKILL): ${fault.next} elected in ${fault.electionMs} ms, ` +
          `the next order:created crossed the bus ${(firstEventAfter(fault.killedAt) ?? NaN) - fault.killedAt} ms after the kill`,
      )
      .join('; ')}; ${N}/${N} orders during the faults reached tickets, payments and expiration as often as ${N} without (0 lost, 0 extra)`,
  );
}, 300_000);

it('a partitioned server (SIGSTOP) takes no write, and the other two lose nothing', async () => {
  const N = 8;
  const seller = await signUp('seller');
  const tickets = await listTickets(seller, N, 'Partition');
  const buyers = await signUpMany('partition', N);
  const leader = memberNamed(await currentLeader());
  const pausedAt = Date.now();
  process.kill(leader.pid()!, 'SIGSTOP');
  try {
    // A publisher that can reach only the cut-off server gets no ack: it stores nothing on its own.
    const refused = await publishThrough(leader.env.NATS_URL, Subjects.TicketCreated, '{}', 2_000).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(refused).toBeInstanceOf(Error);

    const next = await currentLeader(leader.name);
    const electionMs = Date.now() - pausedAt;
    const placed = await Promise.all(buyers.map((buyer, i) => buyer.post<Order>('/api/orders', { ticketId: tickets[i].id })));
    placed.forEach((res) => expect(res.status).toBe(201));
    const ids = placed.map((res) => res.body.id);
    await waitUntil(async () => (await replicaCount(ids)) === N, 60_000, 'order:created to reach payments in the majority');
    const reachedMs = Date.now() - pausedAt;
    process.kill(leader.pid()!, 'SIGCONT');
    const statuses = await settled(placed.map((res, i) => ({ buyer: buyers[i], order: res.body })));
    expect(statuses.every((status) => status === 'cancelled')).toBe(true);
    expect(events.filter((e) => e.subject === Subjects.OrderCreated && ids.includes(e.data.id as string))).toHaveLength(N);
    figure(
      `broker partition (3 nats-servers, R3): ${leader.name} (stream leader) paused: a publish through it alone refused (${refused!.message}); ` +
        `${next} elected ${electionMs} ms after the pause; ${N}/${N} orders placed meanwhile reached payments ${reachedMs} ms after it, 0 lost`,
    );
  } finally {
    process.kill(leader.pid()!, 'SIGCONT');
  }
}, 240_000);
