import { performance } from 'perf_hooks';
import { Redis } from 'ioredis';
import { connectEventBus, EventBus, OrderStatus, signUserToken, Subjects } from '@ticketing/common';
import type { QueueStatus, QueueStatusMessage } from '@ticketing/common/api';
import { Types } from 'mongoose';
import WebSocket from 'ws';
import { mb, percentile, rssBytes, sleep } from './load';

export interface QueueBenchOptions {
  /** The queue process itself (http://127.0.0.1:port), not the gateway: one process is measured. */
  queueUrl: string;
  /** Its pid, to read its resident memory. */
  queuePid: number;
  /**
   * NATS_URL, NATS_CLUSTER_ID and JWT_KEY of its system: listings and order ends are published as the services
   * would; REDIS_HOST and REDIS_PORT: the queue's commands on the listing are counted there.
   */
  env: Record<string, string>;
  /** Buyers who join and then wait with a socket open. */
  waiters: number;
  /** The listing's waiting room. */
  activeBuyers: number;
  /** Admissions ended one at a time, each moving every waiting buyer up one place. */
  moves: number;
  /** Joins in flight. */
  inFlight: number;
  /** The queue process's frontOfLine: position updates are reported apart for these first places and the rest. */
  frontOfLine?: number;
  progress?: (line: string) => void;
}

export interface QueueBenchRow {
  waiters: number;
  frontOfLine: number;
  joinsPerSecond: number;
  joinP95: number;
  /** From ticket:updated opening the sale to each of the first activeBuyers sockets receiving its admission. */
  admission: { p50: number; p95: number; max: number; count: number };
  /** From an order:cancelled that frees a slot to each waiting socket among the first frontOfLine receiving its new position. */
  positionFront: PositionStats;
  /** The same for the sockets further back (sent their place less often). */
  positionBack: PositionStats;
  /** Calls (a script is one) the queue made to Redis on the listing per second while everyone waited (its admission rounds, 5 a second, included). */
  redisPerSecond: number;
  rssBeforeMb: number;
  rssJoinedMb: number;
  rssConnectedMb: number;
  /** Resident memory the joins and the open sockets added, per buyer (an upper bound: garbage not yet collected counts). */
  kbPerSocket: number;
  /** Resident memory the open sockets alone added, per socket (after the joins, before the first socket). */
  kbPerOpenSocket: number;
}

type PositionStats = ReturnType<typeof stats> & { missing: number };

const CONNECT_BATCH = 50;
const DEFAULT_FRONT_OF_LINE = 1_000;
/** How long the bench counts the queue's Redis commands while the line stands still. */
const REDIS_WINDOW_MS = 5_000;
/** How long each move is watched for: sockets far back are sent their place every 5 s. */
const MOVE_SETTLE_MS = 7_500;

/**
 * A session cookie for a new user, signed with the system's key (JWT_KEY in this process's environment), as
 * auth's sign-up would set it: the benches sign in thousands of buyers at no cost.
 */
export const sessionOfNewUser = (index: number) => {
  const jwt = signUserToken({ id: new Types.ObjectId().toHexString(), email: `queue-bench-${index}@example.com` });
  return `session=${Buffer.from(JSON.stringify({ jwt })).toString('base64')}`;
};

interface Waiter {
  cookie: string;
  /** Statuses as they arrived, with performance.now() arrival times. */
  statuses: { at: number; status: QueueStatus }[];
  socket?: WebSocket;
}

const request = async (url: string, method: string, cookie: string) => {
  const res = await fetch(url, { method, headers: { Cookie: cookie } });
  return { status: res.status, body: (await res.json()) as QueueStatus };
};

const openSocket = (url: string, waiter: Waiter): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { Cookie: waiter.cookie }, perMessageDeflate: false });
    socket.on('message', (data) => {
      const at = performance.now();
      waiter.statuses.push({ at, status: (JSON.parse((data as Buffer).toString()) as QueueStatusMessage).data });
    });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });

export const stats = (values: number[]) => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  max: percentile(values, 100),
  count: values.length,
});

const listing = (id: string, version: number, activeBuyers: number, onSaleAt: string) => ({
  id,
  version,
  title: 'queue bench',
  price: 10,
  userId: id,
  quantity: 10_000,
  available: 10_000,
  onSaleAt,
  waitingRoom: { activeBuyers },
  limitPerBuyer: 4,
});

/** The first status of `waiter` that arrived after `since` and satisfies `check`: its delay after `since`. */
const delayAfter = (waiter: Waiter, since: number, check: (status: QueueStatus) => boolean) =>
  waiter.statuses.find((entry) => entry.at >= since && check(entry.status))?.at;

const joinAll = async (options: QueueBenchOptions, ticketId: string, waiters: Waiter[]) => {
  const latencies: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < waiters.length) {
      const waiter = waiters[next++];
      const start = performance.now();
      const res = await request(`${options.queueUrl}/api/queue/${ticketId}/join`, 'POST', waiter.cookie);
      if (res.status !== 200) throw new Error(`join answered ${res.status}`);
      latencies.push(performance.now() - start);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: options.inFlight }, lane));
  return { perSecond: (waiters.length * 1000) / (performance.now() - start), p95: percentile(latencies, 95) };
};

/** One slot freed by an order:cancelled: how long until each waiting socket shows its place one nearer. */
const moveLine = async (bus: EventBus, ticketId: string, waiters: Waiter[], admissionNumber: number) => {
  const orderId = new Types.ObjectId().toHexString();
  const waiting = waiters
    .map((waiter) => ({ waiter, position: waiter.statuses.at(-1)?.status.position ?? 0 }))
    .filter((entry) => entry.position > 1);
  await bus.publish(Subjects.OrderCreated, {
    id: orderId,
    version: 0,
    status: OrderStatus.Created,
    userId: orderId,
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    ticket: { id: ticketId, price: 10, sellerId: ticketId, version: 0, title: 'Bench listing' },
    quantity: 1,
    totalCents: 1_000,
    admissionId: `${ticketId}.${admissionNumber}`,
  });
  // A random phase: the sockets' periodic pushes must not line up with the moves.
  await sleep(500 + Math.random() * 1_000);
  const freedAt = performance.now();
  await bus.publish(Subjects.OrderCancelled, { id: orderId, version: 1, ticket: { id: ticketId } });
  await sleep(MOVE_SETTLE_MS);
  return waiting.map(({ waiter, position }) => {
    const at = delayAfter(waiter, freedAt, (status) => status.position > 0 && status.position < position);
    return { position, delay: at === undefined ? undefined : at - freedAt };
  });
};

/** Calls on the listing that Redis receives per second for `windowMs` (MONITOR, filtered to the listing's keys). */
const redisCommandsPerSecond = async (env: Record<string, string>, ticketId: string, windowMs: number) => {
  const redis = new Redis({ host: env.REDIS_HOST, port: Number(env.REDIS_PORT), maxRetriesPerRequest: 1 });
  try {
    const monitor = await redis.monitor();
    let count = 0;
    // A script's own commands show as from 'lua': one script is one call, as the design counts them.
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source !== 'lua' && args.some((arg) => arg.includes(ticketId))) count += 1;
    });
    await sleep(windowMs);
    monitor.disconnect();
    return (count * 1000) / windowMs;
  } finally {
    redis.disconnect();
  }
};

const positionStats = (delays: (number | undefined)[]): PositionStats => {
  const delivered = delays.filter((delay): delay is number => delay !== undefined);
  return { ...stats(delivered), missing: delays.length - delivered.length };
};

/**
 * `waiters` buyers join one listing's waiting room on one queue process (joins/s), wait there with a socket
 * each, and the sale opens: how long admissions take to reach their sockets, then, slot by slot, how long
 * the waiting sockets take to show their new place, and what the sockets cost in memory.
 */
export const runQueueBench = async (options: QueueBenchOptions): Promise<QueueBenchRow> => {
  const { waiters: count, activeBuyers, moves, queuePid, progress = () => {} } = options;
  process.env.JWT_KEY = options.env.JWT_KEY;
  const ticketId = new Types.ObjectId().toHexString();
  const waiters: Waiter[] = Array.from({ length: count }, (_, i) => ({ cookie: sessionOfNewUser(i), statuses: [] }));
  const bus = await connectEventBus('queue-bench', options.env);
  try {
    await bus.publish(Subjects.TicketCreated, listing(ticketId, 0, activeBuyers, new Date(Date.now() + 3_600_000).toISOString()));
    const meUrl = `${options.queueUrl}/api/queue/${ticketId}/me`;
    for (let tries = 0; (await request(meUrl, 'GET', waiters[0].cookie)).status !== 200; tries += 1) {
      if (tries > 100) throw new Error('the queue never learnt the listing');
      await sleep(100);
    }

    const rssBefore = rssBytes(queuePid);
    progress(`queue: ${count} joins, ${options.inFlight} in flight`);
    const joins = await joinAll(options, ticketId, waiters);
    const rssJoined = rssBytes(queuePid);

    progress(`queue: opening ${count} sockets`);
    const socketUrl = `${options.queueUrl.replace(/^http/, 'ws')}/api/queue/${ticketId}/ws`;
    for (let i = 0; i < count; i += CONNECT_BATCH) {
      await Promise.all(waiters.slice(i, i + CONNECT_BATCH).map(async (waiter) => (waiter.socket = await openSocket(socketUrl, waiter))));
    }
    await sleep(2_000);
    const rssConnected = rssBytes(queuePid);
    progress(`queue: counting the queue's Redis calls on the listing for ${REDIS_WINDOW_MS / 1000} s, ${count} waiting`);
    const redisPerSecond = await redisCommandsPerSecond(options.env, ticketId, REDIS_WINDOW_MS);

    progress(`queue: opening the sale (${activeBuyers} admitted at once)`);
    const openedAt = performance.now();
    await bus.publish(Subjects.TicketUpdated, listing(ticketId, 1, activeBuyers, new Date().toISOString()));
    await sleep(3_000);
    const admissions = waiters
      .slice(0, activeBuyers)
      .map((waiter) => delayAfter(waiter, openedAt, (status) => status.admitted))
      .filter((at): at is number => at !== undefined)
      .map((at) => at - openedAt);

    progress(`queue: ${moves} slots freed one at a time, ${count - activeBuyers} sockets waiting`);
    const positions: { position: number; delay?: number }[] = [];
    for (let move = 1; move <= moves; move += 1) positions.push(...(await moveLine(bus, ticketId, waiters, move)));
    for (const waiter of waiters) waiter.socket?.terminate();
    const frontOfLine = options.frontOfLine ?? DEFAULT_FRONT_OF_LINE;
    const delaysWhere = (front: boolean) => positions.filter(({ position }) => position <= frontOfLine === front).map(({ delay }) => delay);
    return {
      waiters: count,
      frontOfLine,
      joinsPerSecond: Math.round(joins.perSecond),
      joinP95: joins.p95,
      admission: stats(admissions),
      positionFront: positionStats(delaysWhere(true)),
      positionBack: positionStats(delaysWhere(false)),
      redisPerSecond: Math.round(redisPerSecond),
      rssBeforeMb: mb(rssBefore),
      rssJoinedMb: mb(rssJoined),
      rssConnectedMb: mb(rssConnected),
      kbPerSocket: Math.round((rssConnected - rssBefore) / count / 1024),
      kbPerOpenSocket: Math.round((rssConnected - rssJoined) / count / 1024),
    };
  } finally {
    for (const waiter of waiters) waiter.socket?.terminate();
    await bus.close();
  }
};

const ms = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : '–');

const positionCell = ({ p50, p95, max, count, missing }: PositionStats) =>
  `${ms(p50)} / ${ms(p95)} / ${ms(max)} (${missing} of ${count + missing})`;

export const formatQueueTable = (row: QueueBenchRow): string =>
  [
    `| waiting sockets | joins/s (p95 ms) | admission→socket p50 / p95 / max ms | position update, first ${row.frontOfLine.toLocaleString('en-US')} in line, p50 / p95 / max ms (missing) | position update, further back | queue's Redis calls/s on the listing while waiting | queue RSS before joins / after / with sockets MB | KB per waiting buyer | of which the open socket |`,
    '|---|---|---|---|---|---|---|---|---|',
    `| ${row.waiters} | ${row.joinsPerSecond} (${ms(row.joinP95)}) | ${ms(row.admission.p50)} / ${ms(row.admission.p95)} / ${ms(row.admission.max)} | ` +
      `${positionCell(row.positionFront)} | ${positionCell(row.positionBack)} | ${row.redisPerSecond} | ` +
      `${row.rssBeforeMb} / ${row.rssJoinedMb} / ${row.rssConnectedMb} | ${row.kbPerSocket} | ${row.kbPerOpenSocket} |`,
  ].join('\n');
