import { Redis } from 'ioredis';
import { Types } from 'mongoose';
import WebSocket from 'ws';
import type { ApiErrors, Order, QueueStatus, QueueStatusMessage, Ticket } from '@ticketing/common/api';
import { signinCookie, sleep } from '@ticketing/common/testing';
import { ApiClient, eventually, waitUntil } from '../api-client';
import { figure } from '../figures';
import { range, useSystem } from '../system-under-test';

// Hot on-sales through the whole system: the queue service's waiting rooms, orders' admission check, and
// restarts of the queue service and Redis mid-sale. Each scenario prints one `[figure]` line.
const ADMISSION_MS = 45_000;
/** The queue service's Redis keys (its default prefix): the held admissions of a listing are a sorted set. */
const heldKey = (ticketId: string) => `queue:held:${ticketId}`;

let redis: Redis;
const sockets: WebSocket[] = [];

/** Closes the sockets opened so far; nothing they receive afterwards is acted on. */
const closeSockets = () => {
  for (const socket of sockets.splice(0)) {
    socket.removeAllListeners('message');
    socket.terminate();
  }
};

const sut = useSystem({
  infra: ['mongo', 'nats', 'redis', 'stripe'],
  startTimeoutMs: 180_000,
  system: { serviceEnv: { queue: { QUEUE_ADMISSION_MS: String(ADMISSION_MS) } } },
  connect: ({ system, infra, closeAtEnd }) => {
    // The buyers' sessions are signed here, with the system's key: 2,000 sign-ups would be the slowest part.
    process.env.JWT_KEY = system.env.JWT_KEY;
    redis = new Redis({ host: infra.env.REDIS_HOST, port: Number(infra.env.REDIS_PORT), maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    closeAtEnd({ close: () => redis.quit().catch(() => redis.disconnect()) });
    closeAtEnd({ close: closeSockets });
  },
});

interface Buyer {
  client: ApiClient;
  cookie: string;
  /** Place in line when joining (all join before the sale opens, so it is the join order). */
  position: number;
}

const crowd = (n: number): Buyer[] =>
  range(n).map((i) => {
    const cookie = signinCookie({ id: new Types.ObjectId().toHexString(), email: `buyer${i}@example.com` })[0];
    return { client: ApiClient.withCookie(sut.system.url, cookie), cookie, position: 0 };
  });

/** Runs `work` over `items`, `concurrency` at a time. */
const inBatches = async <T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) => {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(range(concurrency).map(lane));
};

interface ListingInput {
  title: string;
  price: number;
  quantity: number;
  onSaleAt: string | null;
  waitingRoom: { activeBuyers: number };
}

/** Lists it, and waits until the queue service knows its waiting room (ticket:created reached it). */
const createListing = async (seller: ApiClient, input: ListingInput): Promise<Ticket> => {
  const res = await seller.post<Ticket>('/api/tickets', input);
  expect(res.status).toBe(201);
  await waitUntil(async () => (await seller.get(`/api/queue/${res.body.id}/me`)).status === 200, 20_000, 'the queue to know the listing');
  return res.body;
};

const join = (buyer: Buyer, ticketId: string) =>
  eventually(
    async () => {
      const res = await buyer.client.post<QueueStatus>(`/api/queue/${ticketId}/join`, {});
      // A restart in progress answers 502 (gateway) or 503 (Redis away): the buyer tries again.
      return res.status === 200 ? res.body : undefined;
    },
    30_000,
    'a join',
  );

const me = (buyer: Buyer, ticketId: string) =>
  eventually(
    async () => {
      const res = await buyer.client.get<QueueStatus>(`/api/queue/${ticketId}/me`);
      return res.status === 200 ? res.body : undefined;
    },
    30_000,
    'a status',
  );

/** The admission's number on its listing: its id (the token's jti) is `<ticketId>.<n>`. */
const admissionNumber = (token: string): number => {
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { jti: string };
  return Number(payload.jti.slice(payload.jti.lastIndexOf('.') + 1));
};

/** Pairs admitted in the opposite order to the one they joined in. */
const inversions = (numbers: number[]) => {
  let count = 0;
  for (let i = 0; i < numbers.length; i += 1) for (let j = i + 1; j < numbers.length; j += 1) if (numbers[i] > numbers[j]) count += 1;
  return count;
};

/** Samples `read` every 100 ms until stopped; a sample that fails (Redis restarting) is skipped and counted. */
const sampleEvery100ms = (read: () => Promise<number>) => {
  const samples: number[] = [];
  let failed = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    read()
      .then((value) => samples.push(value))
      .catch(() => (failed += 1))
      .finally(() => (busy = false));
  }, 100);
  return {
    samples,
    failed: () => failed,
    stop: () => clearInterval(timer),
    max: () => Math.max(...samples),
  };
};

/** The buyer's socket through the gateway, as the page opens it; `onStatus` sees every status pushed. */
const openQueueSocket = (buyer: Buyer, ticketId: string, onStatus: (status: QueueStatus) => void) =>
  new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(`${sut.system.url.replace('http', 'ws')}/api/queue/${ticketId}/ws`, {
      headers: { Cookie: buyer.cookie, Origin: sut.system.url },
      perMessageDeflate: false,
    });
    sockets.push(socket);
    socket.on('message', (data) => onStatus((JSON.parse((data as Buffer).toString()) as QueueStatusMessage).data));
    // Once open, a socket cut by a restart must not throw: the buyers of this suite do not reconnect.
    let opened = false;
    socket.on('error', (err) => (opened ? undefined : reject(err)));
    socket.once('open', () => {
      opened = true;
      resolve(socket);
    });
  });

const errorOf = (res: { body: unknown }) => (res.body as ApiErrors | undefined)?.errors?.[0]?.message ?? '';

/** Places the order with the admission; orders may learn of the opening a moment after the queue does. */
const order = (buyer: Buyer, ticketId: string, quantity: number, admission: string) =>
  eventually(
    async () => {
      const res = await buyer.client.post<Order>('/api/orders', { ticketId, quantity, admission });
      return res.status === 400 && errorOf(res) === 'Not on sale yet' ? undefined : res;
    },
    20_000,
    'the sale to open at orders',
  );

interface StoredOrder {
  quantity: number;
  status: string;
}

/** Units of the listing that orders holds for open orders or has sold, from its database. */
const unitsTaken = async (ticketId: string) => {
  const stored = await sut.databases.find<StoredOrder>('orders', 'orders', { ticket: new Types.ObjectId(ticketId) });
  const taken = stored.filter((o) => o.status === 'created' || o.status === 'complete');
  return {
    taken: taken.reduce((sum, o) => sum + o.quantity, 0),
    sold: stored.filter((o) => o.status === 'complete').reduce((sum, o) => sum + o.quantity, 0),
    open: stored.filter((o) => o.status === 'created').length,
  };
};

it('sells exactly 300 units to 2,000 buyers through a waiting room of 50, admitting them in join order', async () => {
  const BUYERS = 2_000;
  const UNITS = 300;
  const ACTIVE = 50;
  const seller = await sut.signUp('hot-seller');
  const later = new Date(Date.now() + 3_600_000).toISOString();
  const listing = { title: 'Hot on-sale', price: 20, quantity: UNITS, waitingRoom: { activeBuyers: ACTIVE } };
  const ticket = await createListing(seller, { ...listing, onSaleAt: later });

  // Everyone joins before the sale opens, 50 at a time: each one's place is then their place in the join order.
  const buyers = crowd(BUYERS);
  const joinStart = Date.now();
  await inBatches(buyers, 50, async (buyer) => {
    buyer.position = (await join(buyer, ticket.id)).position;
  });
  const joinSeconds = (Date.now() - joinStart) / 1000;
  expect(buyers.map((buyer) => buyer.position).sort((a, b) => a - b)).toEqual(range(BUYERS).map((i) => i + 1));

  // Each admitted buyer orders 1–4 units with the token the socket pushes; one in ten cancels, the rest pay.
  const admitted = new Map<Buyer, number>();
  const refusals: string[] = [];
  const act = async (buyer: Buyer, token: string) => {
    const wanted = 1 + (buyer.position % 4);
    let res = await order(buyer, ticket.id, wanted, token);
    if (res.status === 400 && errorOf(res) === 'Not enough tickets') res = await order(buyer, ticket.id, 1, token);
    if (res.status !== 201) return void refusals.push(`${res.status} ${errorOf(res)}`);
    if (buyer.position % 10 === 0) await buyer.client.delete(`/api/orders/${res.body.id}`);
    else await buyer.client.payWhenKnown(res.body.id);
  };
  const acting: Promise<void>[] = [];
  await inBatches(buyers, 50, async (buyer) => {
    await openQueueSocket(buyer, ticket.id, (status) => {
      if (!status.admitted || !status.admissionToken || admitted.has(buyer)) return;
      admitted.set(buyer, admissionNumber(status.admissionToken));
      acting.push(act(buyer, status.admissionToken));
    });
  });

  const held = sampleEvery100ms(() => redis.zcard(heldKey(ticket.id)));
  const units = sampleEvery100ms(async () => (await unitsTaken(ticket.id)).taken);
  const saleStart = Date.now();
  expect((await seller.put(`/api/tickets/${ticket.id}`, { ...listing, onSaleAt: new Date().toISOString() })).status).toBe(200);

  await waitUntil(
    async () => {
      const { sold, open } = await unitsTaken(ticket.id);
      return sold === UNITS && open === 0;
    },
    300_000,
    'every unit to be sold',
  );
  const saleSeconds = (Date.now() - saleStart) / 1000;
  held.stop();
  units.stop();
  closeSockets();
  await Promise.all(acting);

  const inAdmissionOrder = [...admitted.entries()].sort(([a], [b]) => a.position - b.position);
  const numbers = inAdmissionOrder.map(([, number]) => number);
  expect(inversions(numbers)).toBe(0);
  expect(numbers).toEqual(inAdmissionOrder.map(([buyer]) => buyer.position));
  expect(held.samples.length).toBeGreaterThan(10);
  expect(held.max()).toBeLessThanOrEqual(ACTIVE);
  expect(units.max()).toBeLessThanOrEqual(UNITS);
  expect((await unitsTaken(ticket.id)).taken).toBe(UNITS);
  expect(refusals.filter((refusal) => !/^400 (Sold out|Not enough tickets)$/.test(refusal))).toEqual([]);
  figure(
    `waiting room: ${BUYERS} buyers joined in ${joinSeconds.toFixed(1)} s (${Math.round(BUYERS / joinSeconds)}/s); ` +
      `${admitted.size} admitted, ${UNITS} units sold in ${saleSeconds.toFixed(1)} s, never more than ${units.max()} taken; ` +
      `${inversions(numbers)} inversions of the join order; active admissions max ${held.max()} of ${ACTIVE} over ${held.samples.length} samples every 100 ms; ` +
      `refused after sell-out: ${refusals.length}`,
  );
}, 600_000);

/** A listing on sale now, and `count` buyers who joined one after another: the first `activeBuyers` admitted as they join, the others waiting in join order. */
const linedUp = async (title: string, quantity: number, activeBuyers: number, count: number) => {
  const seller = await sut.signUp('seller');
  const ticket = await createListing(seller, { title, price: 15, quantity, onSaleAt: null, waitingRoom: { activeBuyers } });
  const buyers = crowd(count);
  for (const buyer of buyers) await join(buyer, ticket.id);
  return { ticket, buyers };
};

it('keeps every place and admission, and the cap, when the queue service and Redis are killed mid-sale', async () => {
  const BUYERS = 200;
  const ACTIVE = 10;
  const { ticket, buyers } = await linedUp('Restart on-sale', 100, ACTIVE, BUYERS);
  await waitUntil(async () => (await redis.zcard(heldKey(ticket.id))) === ACTIVE, 10_000, 'the first admissions');
  const before = await Promise.all(buyers.map((buyer) => me(buyer, ticket.id)));
  const admissionOf = (status: QueueStatus) => (status.admissionToken ? admissionNumber(status.admissionToken) : undefined);
  expect(before.map(admissionOf)).toEqual(range(BUYERS).map((i) => (i < ACTIVE ? i + 1 : undefined)));
  expect(before.map((status) => status.position)).toEqual(range(BUYERS).map((i) => (i < ACTIVE ? 0 : i - ACTIVE + 1)));

  const held = sampleEvery100ms(() => redis.zcard(heldKey(ticket.id)));
  const restartStart = Date.now();
  await sut.system.services.queue.kill('SIGKILL');
  const redisPid = sut.infra.servers.redis?.pid();
  if (redisPid === undefined) throw new Error('the test started no Redis of its own');
  process.kill(redisPid, 'SIGKILL');
  await sut.infra.servers.redis?.restart();
  await sut.system.services.queue.start();
  const restartSeconds = (Date.now() - restartStart) / 1000;
  expect(restartSeconds * 1000).toBeLessThan(ADMISSION_MS);

  const after = await Promise.all(buyers.map((buyer) => me(buyer, ticket.id)));
  expect(after.map((status) => [status.position, status.admitted, admissionOf(status)])).toEqual(
    before.map((status) => [status.position, status.admitted, admissionOf(status)]),
  );

  // The line moves on after the restart: the admitted buyers buy, and their slots go to the next ones, in order.
  await Promise.all(
    buyers.slice(0, ACTIVE).map(async (buyer) => {
      const token = (await me(buyer, ticket.id)).admissionToken ?? '';
      const res = await order(buyer, ticket.id, 1, token);
      expect(res.status).toBe(201);
      await buyer.client.payWhenKnown(res.body.id);
    }),
  );
  const nextAdmissions = await Promise.all(
    buyers
      .slice(ACTIVE, 2 * ACTIVE)
      .map((buyer) => eventually(async () => admissionOf(await me(buyer, ticket.id)), 60_000, 'the next admissions')),
  );
  held.stop();

  expect(nextAdmissions).toEqual(range(ACTIVE).map((i) => ACTIVE + i + 1));
  const stillWaiting = await Promise.all(buyers.slice(2 * ACTIVE).map((buyer) => me(buyer, ticket.id)));
  expect(stillWaiting.map((status) => status.position)).toEqual(range(BUYERS - 2 * ACTIVE).map((i) => i + 1));
  expect(held.max()).toBeLessThanOrEqual(ACTIVE);
  figure(
    `waiting room restart: queue service and Redis killed (SIGKILL) with ${ACTIVE} admitted and ${BUYERS - ACTIVE} waiting, back in ${restartSeconds.toFixed(1)} s; ` +
      `0 places or admissions lost, then ${ACTIVE} more admitted in order; active admissions max ${held.max()} of ${ACTIVE} over ` +
      `${held.samples.length} samples (${held.failed()} failed while Redis was down)`,
  );
}, 300_000);

it('tells every waiting buyer "sold out" within 2 s of the last unit going, admits no one meanwhile, and resumes the line in join order when an order is cancelled', async () => {
  const BUYERS = 300;
  const ACTIVE = 2;
  const { ticket, buyers } = await linedUp('Sell-out', ACTIVE, ACTIVE, BUYERS);
  const pushed = new Map<Buyer, { at: number; status: QueueStatus }[]>(buyers.map((buyer) => [buyer, []]));
  const pushesTo = (buyer: Buyer) => pushed.get(buyer) ?? [];
  const latest = (buyer: Buyer) => pushesTo(buyer).at(-1)?.status;
  await inBatches(buyers, 50, async (buyer) => {
    await openQueueSocket(buyer, ticket.id, (status) => pushesTo(buyer).push({ at: Date.now(), status }));
  });
  const [admitted, waiting] = [buyers.slice(0, ACTIVE), buyers.slice(ACTIVE)];
  const places = () => waiting.map((buyer) => latest(buyer)?.position);
  await waitUntil(() => places().every((position, i) => position === i + 1), 20_000, 'every waiting socket to show its place');

  // The two admitted buyers take both units; the first will pay, the second's order stays open.
  const orders = await Promise.all(
    admitted.map(async (buyer) => {
      const token = (await me(buyer, ticket.id)).admissionToken ?? '';
      const res = await order(buyer, ticket.id, 1, token);
      expect(res.status).toBe(201);
      return { res, at: Date.now() };
    }),
  );
  const soldAt = Math.max(...orders.map(({ at }) => at));
  const firstSoldOut = (buyer: Buyer) => pushesTo(buyer).find(({ status }) => status.soldOut)?.at;
  await waitUntil(() => waiting.every((buyer) => firstSoldOut(buyer) !== undefined), 20_000, 'every waiting buyer told sold out');
  const delays = waiting.map((buyer) => (firstSoldOut(buyer) ?? Infinity) - soldAt).sort((a, b) => a - b);
  expect(places()).toEqual(range(waiting.length).map((i) => i + 1));
  expect(await me(waiting[4], ticket.id)).toMatchObject({ position: 5, soldOut: true, admitted: false });
  expect(await join(waiting[4], ticket.id)).toMatchObject({ position: 5, soldOut: true });

  // The first order is paid: its admission ends and frees a slot, which no one is given while nothing is left.
  expect((await admitted[0].client.payWhenKnown(orders[0].res.body.id)).status).toBe(202);
  await waitUntil(async () => !(await me(admitted[0], ticket.id)).admitted, 30_000, 'the paid admission to end');
  await sleep(1_500);
  expect(await redis.zcard(heldKey(ticket.id))).toBe(1);
  expect(waiting.some((buyer) => pushesTo(buyer).some(({ status }) => status.admitted))).toBe(false);

  // The second order is cancelled: its unit is back, and the head of the line is admitted, in join order.
  expect((await admitted[1].client.delete(`/api/orders/${orders[1].res.body.id}`)).status).toBe(204);
  const cancelledAt = Date.now();
  await waitUntil(() => [0, 1].every((i) => latest(waiting[i])?.admitted === true), 20_000, 'the head of the line admitted');
  const resumeSeconds = (Date.now() - cancelledAt) / 1000;
  expect([0, 1].map((i) => admissionNumber(latest(waiting[i])?.admissionToken ?? ''))).toEqual([ACTIVE + 1, ACTIVE + 2]);
  await waitUntil(
    () => waiting.slice(2).every((buyer, i) => latest(buyer)?.position === i + 1 && latest(buyer)?.soldOut === false),
    20_000,
    'the rest of the line to move up two places',
  );
  expect(delays.at(-1)).toBeLessThanOrEqual(2_000);
  figure(
    `waiting room sell-out: ${waiting.length} waiting sockets told "sold out" ${delays[0]}–${delays.at(-1)} ms after the last unit's order ` +
      `(p95 ${delays[Math.ceil(delays.length * 0.95) - 1]} ms); no admission while sold out; after a cancellation the next ${ACTIVE} in line admitted in join order in ` +
      `${resumeSeconds.toFixed(1)} s, the other ${waiting.length - ACTIVE} moved up ${ACTIVE} places`,
  );
}, 300_000);
