import { startSystem, System } from '../../system/system';
import { formatTable, runBench } from '../bench';
import { formatLiveTable, runLiveBench } from '../live';
import { formatQueueTable, runQueueBench } from '../queue';
import { formatRawTable, measureRawDatabase } from '../raw-database';

// A short run of `npm run bench` against a system of its own, so the benchmark keeps working.
// It checks that every figure was measured, never how fast: CI machines vary.
let system: System;

beforeAll(async () => {
  system = await startSystem({ expirationWindowSeconds: 3_600, env: {} });
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

it('measures every figure at each level of stored orders, with no failed request and no late event', async () => {
  const rows = await runBench({
    url: system.url,
    mongoUri: system.env.MONGO_URI,
    levels: [0, 150],
    listings: [5, 30],
    roundSize: 20,
    inFlight: 4,
    restSamples: 3,
    warmUpOrders: 10,
  });

  // The warm-up's orders stay stored; a round adds its own 3 + 20 and the buyers' rush some more; the fill tops up to 150.
  expect(rows[0].storedOrders).toBe(10);
  expect(rows[1].storedOrders).toBeGreaterThanOrEqual(150);
  expect(rows.map((row) => row.listingsForSale)).toEqual([5, 30]);
  for (const row of rows) {
    expect(row.orderNotFound).toBe(0);
    expect(row.failures).toBe(0);
    for (const rate of [row.ticketsPerSecond, row.ordersPerSecond, row.listPerSecond, row.ticketPagePerSecond])
      expect(rate).toBeGreaterThan(0);
    for (const latency of [row.listP99, row.ticketPageP99]) expect(Number.isFinite(latency)).toBe(true);
    for (const lag of [row.ticketToOrders.rest, row.ticketToOrders.load, row.orderToPayments.rest, row.orderToPayments.load]) {
      expect(lag.missing).toBe(0);
      expect(Number.isFinite(lag.p99)).toBe(true);
    }
  }
  const table = formatTable(rows).split('\n');
  expect(table).toHaveLength(4);
  expect(table[2]).toMatch(/^\| 10 \| 5 \| \d+ \| \d+ \| \d+ \/ \d+ \| 0 \| 0 \| \d+ \| \d+ \/ \d+ \| \d+ \| \d+ \/ \d+ \|/);
}, 180_000);

it('measures the database server alone at each size', async () => {
  const rows = await measureRawDatabase(system.env.MONGO_URI, [0, 500]);

  expect(rows.map((row) => row.documents)).toEqual([0, 500]);
  for (const row of rows) {
    for (const rate of [
      row.insertsPerSecond,
      row.findsByIdPerSecond,
      row.versionedUpdatesPerSecond,
      row.scansPerSecond,
      row.listingPagesPerSecond,
    ]) {
      expect(rate).toBeGreaterThan(0);
    }
  }
  expect(formatRawTable(rows).split('\n')).toHaveLength(4);
}, 120_000);

it('measures event→socket latency and memory per socket on the live process (--live, small)', async () => {
  const live = system.services.live;
  const row = await runLiveBench({ liveUrl: live.url, livePid: live.pid!, env: system.env, sockets: 20, events: 5, rate: 10 });

  expect(row.delivered).toBe(100);
  for (const figure of [row.p50, row.p95, row.p99, row.max]) expect(Number.isFinite(figure)).toBe(true);
  expect(row.rssConnectedMb).toBeGreaterThan(0);
  expect(formatLiveTable(row).split('\n')[2]).toMatch(/^\| 20 \| 5 \| 100 of 100 \| \d+ \/ \d+ \/ \d+ \/ \d+ \|/);
}, 60_000);

it('measures joins/s, admission and position pushes on the queue process (--queue, small)', async () => {
  const queue = system.services.queue;
  const row = await runQueueBench({
    queueUrl: queue.url,
    queuePid: queue.pid!,
    env: system.env,
    waiters: 30,
    activeBuyers: 5,
    moves: 2,
    inFlight: 5,
  });

  expect(row.joinsPerSecond).toBeGreaterThan(0);
  expect(row.admission.count).toBe(5);
  // Two slots freed, each moving the 24 buyers still waiting behind position 1 (then 23), all in the front of the line.
  expect(row.positionFront).toMatchObject({ count: 24 + 23, missing: 0 });
  expect(row.positionBack).toMatchObject({ count: 0, missing: 0 });
  for (const figure of [row.admission.p95, row.positionFront.p50, row.positionFront.p95, row.positionFront.max])
    expect(Number.isFinite(figure)).toBe(true);
  // While everyone waits: the admission rounds (5 a second) and one push cycle a second, not a command per waiter.
  expect(row.redisPerSecond).toBeGreaterThan(0);
  expect(row.redisPerSecond).toBeLessThan(15);
  expect(formatQueueTable(row).split('\n')[2]).toMatch(
    /^\| 30 \| \d+ \(\d+\) \| \d+ \/ \d+ \/ \d+ \| \d+ \/ \d+ \/ \d+ \(0 of 47\) \| – \/ – \/ – \(0 of 0\) \| \d+ \|/,
  );
}, 60_000);
