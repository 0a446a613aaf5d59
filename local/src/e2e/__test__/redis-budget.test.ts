import { performance } from 'perf_hooks';
import { Redis } from 'ioredis';
import type { Order, QueueStatus, Ticket } from '@ticketing/common/api';
import { redisArg, redisArgsOf } from '../../infra/manifests';
import { Server, startRedis } from '../../infra/servers';
import { startSystem, System } from '../../system/system';
import { ApiClient, eventually, uniqueEmail, waitUntil } from '../api-client';
import { EXPIRATION_WORST_CASE, expirationFillers, measureFill, QUEUE_WORST_CASE, queueFillers, usedMemory } from '../redis-budget';
import { figure } from '../figures';

// The cluster's two Redis servers, each run with its manifest's arguments (maxmemory, noeviction, persistence)
// and filled to the worst case docs/design.md budgets for it; then the system still signs up, queues,
// admits, orders, expires and charges on them. Prints one `[figure]` line per kind of key and per server.
const EXPIRY_SECONDS = 4;
const MB = 1e6;

interface Budgeted {
  name: string;
  server: Server;
  redis: Redis;
  maxmemory: string;
}

const started: Budgeted[] = [];
let system: System | undefined;

/** redis-server with the manifest's arguments, and a client to fill it. */
const startFromManifest = async (name: string, manifest: string): Promise<Budgeted> => {
  const config = redisArgsOf(manifest);
  const server = await startRedis({ config });
  const redis = new Redis({ host: server.env.REDIS_HOST, port: Number(server.env.REDIS_PORT), maxRetriesPerRequest: 1 });
  const budgeted = { name, server, redis, maxmemory: redisArg(config, '--maxmemory') ?? 'unset' };
  started.push(budgeted);
  return budgeted;
};

/** Fills every kind of key to its count, printing the bytes each took and the total against maxmemory. */
const fillWorstCase = async <K extends string>(
  { name, redis, maxmemory }: Budgeted,
  counts: Record<K, number>,
  fillers: Record<K, Parameters<typeof measureFill>[2]>,
) => {
  const began = performance.now();
  for (const kind of Object.keys(counts) as K[]) {
    const bytes = await measureFill(redis, counts[kind], fillers[kind]);
    figure(`${name}: ${counts[kind]} × ${kind} at ${bytes} bytes each = ${((counts[kind] * bytes) / MB).toFixed(1)} MB`);
  }
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  figure(`${name}: worst case ${((await usedMemory(redis)) / MB).toFixed(1)} MB used of maxmemory ${maxmemory} (filled in ${seconds} s)`);
};

const serverEnv = ({ server }: Budgeted) => ({ REDIS_HOST: server.env.REDIS_HOST, REDIS_PORT: server.env.REDIS_PORT });

const orderStatus = async (buyer: ApiClient, orderId: string) => (await buyer.get<Order>(`/api/orders/${orderId}`)).body.status;

/** Waits for the buyer's admission (rounds run every 200 ms), then orders one unit with it. */
const orderWithAdmission = async (buyer: ApiClient, ticketId: string): Promise<Order> => {
  const admission = await eventually(
    async () => (await buyer.get<QueueStatus>(`/api/queue/${ticketId}/me`)).body.admissionToken,
    20_000,
    'the admission',
  );
  return eventually(
    async () => {
      const res = await buyer.post<Order>('/api/orders', { ticketId, quantity: 1, admission });
      return res.status === 201 ? res.body : undefined;
    },
    20_000,
    'the order',
  );
};

afterAll(async () => {
  await system?.stop();
  for (const { server, redis } of started) {
    redis.disconnect();
    await server.stop();
  }
});

it('holds the budgeted worst case within each manifest’s maxmemory, and still joins, admits, orders, expires and charges', async () => {
  const queueRedis = await startFromManifest('queue-redis', 'queue-redis-depl.yaml');
  const expirationRedis = await startFromManifest('expiration-redis', 'expiration-redis-depl.yaml');
  system = await startSystem({
    expirationWindowSeconds: EXPIRY_SECONDS,
    // expiration-redis for the services that use it in the cluster (bull queues, auth's limits).
    env: serverEnv(expirationRedis),
    serviceEnv: { queue: serverEnv(queueRedis) },
  });
  // Filled once the services run, as a full Redis would be: expiration retries failed jobs only at start-up.
  const now = Date.now();
  await Promise.all([
    fillWorstCase(queueRedis, QUEUE_WORST_CASE, queueFillers(now)),
    fillWorstCase(expirationRedis, EXPIRATION_WORST_CASE, expirationFillers(now)),
  ]);

  const url = system.url;
  const seller = await ApiClient.signUp(url, uniqueEmail('budget-seller'));
  const [buyer, next] = [await ApiClient.signUp(url, uniqueEmail('budget-buyer')), await ApiClient.signUp(url, uniqueEmail('budget-next'))];
  const listed = await seller.post<Ticket>('/api/tickets', {
    title: 'Full Redis',
    price: 20,
    quantity: 5,
    onSaleAt: null,
    waitingRoom: { activeBuyers: 1 },
  });
  expect(listed.status).toBe(201);
  const ticketId = listed.body.id;
  await waitUntil(async () => (await buyer.get(`/api/queue/${ticketId}/me`)).status === 200, 20_000, 'the queue to know the listing');

  expect((await buyer.post(`/api/queue/${ticketId}/join`, {})).status).toBe(200);
  expect((await next.post(`/api/queue/${ticketId}/join`, {})).status).toBe(200);
  const order = await orderWithAdmission(buyer, ticketId);

  // The expiry job (bull, on the full expiration-redis) cancels it; the slot goes to the next in line, who pays.
  await waitUntil(async () => (await orderStatus(buyer, order.id)) === 'cancelled', 30_000, 'the expiry');
  const paid = await orderWithAdmission(next, ticketId);
  expect((await next.payWhenKnown(paid.id)).status).toBe(202);
  await waitUntil(async () => (await orderStatus(next, paid.id)) === 'complete', 30_000, 'the charge');
}, 180_000);
