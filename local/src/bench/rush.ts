import { ChildProcess, fork } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { connectEventBus, EventBus, Subjects } from '@ticketing/common';
import type { Ticket } from '@ticketing/common/api';
import { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { ApiClient, uniqueEmail, waitUntil } from '../e2e/api-client';
import { Databases } from '../e2e/databases';
import { repoRoot } from '../infra/tools';
import type { System } from '../system/system';
import { percentile, rssBytes, sleep } from './load';
import { stats } from './queue';
import { rushChartSpec } from './rush-chart';
import type { RushReport, RushSettings } from './rush-report';
import {
  AdmittedBuyer,
  Connected,
  Finished,
  GeneratorMessage,
  Joined,
  noOutcomes,
  Outcome,
  ParentMessage,
  Staleness,
  STALENESS_BUCKET_MS,
} from './rush-protocol';

export interface RushOptions extends RushSettings {
  /** The system under test, started with QUEUE_ADMISSION_MS = `admissionMs` for queue. */
  system: System;
  /** Where the report (JSON) and its picture (SVG) are written. */
  outDir: string;
  progress?: (line: string) => void;
}

const SAMPLE_MS = 500;
/** The sell-out must reach every waiting buyer within this long (issue 24's target). */
const TOLD_WITHIN_MS = 2_000;

/** A generator process and the messages it sent, by type. */
class GeneratorProcess {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<GeneratorMessage['type'], (message: GeneratorMessage) => void>();
  private readonly exited: Promise<never>;

  constructor() {
    this.child = fork(path.join(repoRoot, 'local/build/bench/rush-generator.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: GeneratorMessage) => this.waiting.get(message.type)?.(message));
    this.exited = new Promise((_, reject) => this.child.once('exit', (code) => reject(new Error(`a rush generator exited (${code})`))));
    this.exited.catch(() => {});
  }

  /** Sends `message` and waits for the answer of type `type`. */
  ask<T extends GeneratorMessage>(message: ParentMessage, type: T['type']): Promise<T> {
    const answer = new Promise<T>((resolve) => this.waiting.set(type, (reply) => resolve(reply as T)));
    this.child.send(message);
    return Promise.race([answer, this.exited]);
  }

  stop() {
    this.child.kill();
  }
}

const childrenOf = (pid: number) => fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);

/** Resident memory of a process and of its children (the gateway's cluster workers). */
const rssWithChildren = (pid: number): number => [pid, ...childrenOf(pid)].reduce((sum, each) => sum + rssBytes(each), 0);

const pidOf = (process: { pid?: number }) => {
  if (process.pid === undefined) throw new Error('a process of the system is not running');
  return process.pid;
};

/** Pairs admitted in the opposite order to the one they joined in (merge sort: n log n for 50,000; sorts `values` in place). */
export const countInversions = (values: number[]): number => {
  if (values.length < 2) return 0;
  const middle = values.length >> 1;
  const left = values.slice(0, middle);
  const right = values.slice(middle);
  let count = countInversions(left) + countInversions(right);
  let i = 0;
  let j = 0;
  for (let k = 0; k < values.length; k += 1) {
    if (j >= right.length || (i < left.length && left[i] <= right[j])) values[k] = left[i++];
    else {
      values[k] = right[j++];
      count += left.length - i;
    }
  }
  return count;
};

const bucketPercentile = (buckets: number[], p: number) => {
  const total = buckets.reduce((sum, count) => sum + count, 0);
  let seen = 0;
  for (let i = 0; i < buckets.length; i += 1) {
    seen += buckets[i];
    if (seen >= (p / 100) * total && seen > 0) return (i + 1) * STALENESS_BUCKET_MS;
  }
  return NaN;
};

const addBuckets = (a: number[], b: number[]) => a.map((count, i) => count + b[i]);

/** Admission times by admission number; a number no socket reported takes the next known time (admissions are in order). */
const admissionTimesOf = (admitted: AdmittedBuyer[]) => {
  const times: (number | null)[] = [null];
  for (const buyer of admitted) times[buyer.admissionNumber] = buyer.admittedAt;
  for (let n = times.length - 2; n >= 1; n -= 1) times[n] ??= times[n + 1];
  return Array.from(times, (time) => time ?? null);
};

/** Watches payment:created: when each order was paid. */
const watchPayments = async (system: System) => {
  const paidAt = new Map<string, number>();
  const bus: EventBus = await connectEventBus(`rush-bench-${process.pid}`, system.env);
  bus.watch([Subjects.PaymentCreated], (_, data) => {
    const { orderId } = data as { orderId: string };
    if (!paidAt.has(orderId)) paidAt.set(orderId, Date.now());
  });
  return { paidAt, close: () => bus.close() };
};

/** Samples the line, the held slots and the units paid every 500 ms. */
const sampleTimeline = (system: System, ticketId: string, sold: () => number, openedAt: number) => {
  const redis = new Redis({ host: system.env.REDIS_HOST, port: Number(system.env.REDIS_PORT), maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  const timeline: RushReport['timeline'] = [];
  const timer = setInterval(() => {
    void Promise.all([redis.zcard(`queue:line:${ticketId}`), redis.zcard(`queue:held:${ticketId}`)]).then(
      ([waiting, admitted]) => timeline.push({ seconds: (Date.now() - openedAt) / 1000, waiting, admitted, sold: sold() }),
      () => {},
    );
  }, SAMPLE_MS);
  return {
    timeline,
    stop: async () => {
      clearInterval(timer);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
};

/** Units of the listing sold (orders complete), from orders' database. */
const unitsSold = async (system: System, ticketId: string) => {
  const databases = new Databases(system.env.MONGO_URI);
  try {
    const orders = await databases.find<{ quantity: number; status: string }>('orders', 'orders', {
      ticket: new Types.ObjectId(ticketId),
      status: 'complete',
    });
    return orders.reduce((sum, order) => sum + order.quantity, 0);
  } finally {
    await databases.close();
  }
};

const createListing = async (system: System, options: RushOptions, onSaleAt: Date) => {
  const seller = await ApiClient.signUp(system.url, uniqueEmail('rush-seller'));
  const input = { title: 'The rush', price: 10, quantity: options.units, waitingRoom: { activeBuyers: options.activeBuyers } };
  const res = await seller.post<Ticket>('/api/tickets', { ...input, onSaleAt: onSaleAt.toISOString() });
  if (res.status !== 201) throw new Error(`listing the rush: ${res.status} ${JSON.stringify(res.body)}`);
  await waitUntil(async () => (await seller.get(`/api/queue/${res.body.id}/me`)).status === 200, 30_000, 'the queue to know the listing');
  const open = async () => {
    const opened = await seller.put(`/api/tickets/${res.body.id}`, { ...input, onSaleAt: new Date().toISOString() });
    if (opened.status !== 200) throw new Error(`opening the sale: ${opened.status}`);
  };
  return { ticketId: res.body.id, open };
};

/** Splits `buyers` into `parts` consecutive shares as even as possible. */
const shares = (buyers: number, parts: number) =>
  Array.from({ length: parts }, (_, i) => {
    const first = Math.floor((i * buyers) / parts);
    return { first, count: Math.floor(((i + 1) * buyers) / parts) - first };
  });

const machine = () => `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;

/**
 * The rush, end to end through the gateway as browsers go: every buyer (a session signed with the system's
 * JWT key) joins the waiting room, waits with a socket, and when admitted orders one unit with the token and
 * pays (a share never pays: their orders expire and the units are sold again). Writes rush.json and rush.svg.
 */
export const runRush = async (options: RushOptions): Promise<RushReport> => {
  const { system, outDir, progress = () => {}, ...settings } = options;
  const queuePids = system.replicas.queue.map(pidOf);
  const gatewayPid = pidOf(system.gateway);
  const { ticketId, open } = await createListing(system, options, new Date(Date.now() + 24 * 3_600_000));
  const generators = Array.from({ length: options.generators }, () => new GeneratorProcess());
  const payments = await watchPayments(system);
  try {
    const rssBefore = { queue: queuePids.reduce((sum, pid) => sum + rssBytes(pid), 0), gateway: rssWithChildren(gatewayPid) };
    const sourceAddresses = Array.from({ length: options.sourceAddresses }, (_, i) => `127.0.0.${2 + i}`);
    progress(
      `rush: ${options.buyers} buyers join through the gateway (${options.generators} generator processes, ${sourceAddresses.length} source addresses)`,
    );
    const joined = await Promise.all(
      shares(options.buyers, options.generators).map(({ first, count }, i) =>
        generators[i].ask<Joined>(
          {
            type: 'join',
            setup: {
              gatewayUrl: system.url,
              ticketId,
              jwtKey: system.env.JWT_KEY,
              first,
              count,
              sourceAddresses,
              joinsInFlight: options.joinsInFlight,
              unpaidShare: options.unpaidShare,
              admissionMs: options.admissionMs,
              connectForMs: options.saleDeadlineMs,
            },
          },
          'joined',
        ),
      ),
    );
    const joinSeconds = (Math.max(...joined.map((j) => j.endedAt)) - Math.min(...joined.map((j) => j.startedAt))) / 1000;
    progress(`rush: ${options.buyers} joined in ${joinSeconds.toFixed(1)} s (${Math.round(options.buyers / joinSeconds)}/s)`);

    progress(`rush: every buyer opens their socket (given up after ${options.saleDeadlineMs / 1000} s)`);
    const connectStart = Date.now();
    const connected = await Promise.all(generators.map((generator) => generator.ask<Connected>({ type: 'connect' }, 'connected')));
    const socketsOpen = connected.reduce((sum, c) => sum + c.open, 0);
    const connectSeconds = (Date.now() - connectStart) / 1000;
    await sleep(2_000);
    const rssConnected = { queue: queuePids.reduce((sum, pid) => sum + rssBytes(pid), 0), gateway: rssWithChildren(gatewayPid) };

    progress(`rush: ${socketsOpen} sockets waiting, opened in ${connectSeconds.toFixed(1)} s; the sale of ${options.units} units opens`);
    const openedAt = Date.now();
    const sampler = sampleTimeline(system, ticketId, () => payments.paidAt.size, openedAt);
    await open();
    const soldOutAt = await waitForSellOut(payments.paidAt, options, progress);
    // The buyers still waiting are told within 2 s; a little more shows who was told late.
    await sleep(TOLD_WITHIN_MS + 1_000);
    await sampler.stop();
    const finished = await Promise.all(generators.map((generator) => generator.ask<Finished>({ type: 'finish' }, 'finished')));
    const admitted = finished.flatMap((f) => f.admitted);
    const admissionTimes = admissionTimesOf(admitted);
    const staleness = await Promise.all(
      generators.map((generator) => generator.ask<Staleness>({ type: 'staleness', admissionTimes }, 'staleness')),
    );
    progress('rush: counting what was sold');
    const sold = await soldOnceSettled(system, ticketId, payments.paidAt.size);

    const paid = admitted.flatMap((buyer) => {
      const at = buyer.orderId === undefined ? undefined : payments.paidAt.get(buyer.orderId);
      return at === undefined ? [] : [{ buyer, at }];
    });
    const toldAt = finished.flatMap((f) => f.toldSoldOutAt);
    const report: RushReport = {
      date: new Date().toISOString(),
      machine: machine(),
      settings: {
        ...settings,
        queueProcesses: queuePids.length,
        gatewayProcesses: Math.max(1, childrenOf(gatewayPid).length),
      },
      joinsPerSecond: Math.round(options.buyers / joinSeconds),
      joinP95Ms: percentile(
        joined.flatMap((j) => j.latenciesMs),
        95,
      ),
      sockets: { open: socketsOpen, failed: connected.reduce((sum, c) => sum + c.failed, 0) },
      admissionToSocketMs: stats(admitted.map((buyer) => buyer.socketAt - buyer.admittedAt)),
      stalenessP95Ms: {
        first1000: bucketPercentile(staleness.map((s) => s.first1000).reduce(addBuckets), 95),
        all: bucketPercentile(staleness.map((s) => s.all).reduce(addBuckets), 95),
      },
      openToSoldOutMs: soldOutAt === undefined ? null : soldOutAt - openedAt,
      admissionToPaidMs: (({ p50, count }, p99) => ({ p50, p99, count }))(
        stats(paid.map(({ buyer, at }) => at - buyer.admittedAt)),
        percentile(
          paid.map(({ buyer, at }) => at - buyer.admittedAt),
          99,
        ),
      ),
      admissionToOrderMs: stats(spans(admitted, 'admittedAt', 'orderedAt')),
      orderToPaymentAcceptedMs: stats(spans(admitted, 'orderedAt', 'paymentAcceptedAt')),
      unitsSold: sold,
      oversold: Math.max(0, sold - options.units),
      inversions: countInversions(admitted.sort((a, b) => a.joinPosition - b.joinPosition).map((buyer) => buyer.admissionNumber)),
      admissions: admitted.length,
      toldSoldOut: {
        count: toldAt.length,
        within2s: soldOutAt === undefined ? 0 : toldAt.filter((at) => at - soldOutAt <= TOLD_WITHIN_MS).length,
      },
      outcomes: sumOutcomes(finished),
      errors: finished.flatMap((f) => f.errors),
      kbPerWaitingSocket: {
        queue: Math.round((rssConnected.queue - rssBefore.queue) / Math.max(1, socketsOpen) / 1024),
        gateway: Math.round((rssConnected.gateway - rssBefore.gateway) / Math.max(1, socketsOpen) / 1024),
      },
      rssMb: {
        queueBefore: Math.round(rssBefore.queue / 2 ** 20),
        queueWithSockets: Math.round(rssConnected.queue / 2 ** 20),
        gatewayBefore: Math.round(rssBefore.gateway / 2 ** 20),
        gatewayWithSockets: Math.round(rssConnected.gateway / 2 ** 20),
      },
      timeline: sampler.timeline,
      timeToTicketSeconds: paid.map(({ at }) => (at - openedAt) / 1000),
    };
    await writeReport(report, outDir);
    return report;
  } finally {
    for (const generator of generators) generator.stop();
    await payments.close();
  }
};

/** `to` − `from` for each buyer who has both. */
const spans = (admitted: AdmittedBuyer[], from: 'admittedAt' | 'orderedAt', to: 'orderedAt' | 'paymentAcceptedAt') =>
  admitted.flatMap((buyer) => (buyer[from] !== undefined && buyer[to] !== undefined ? [buyer[to] - buyer[from]] : []));

const sumOutcomes = (finished: Finished[]) => {
  const total = noOutcomes();
  for (const { outcomes } of finished) for (const [outcome, count] of Object.entries(outcomes)) total[outcome as Outcome] += count;
  return total;
};

/** Waits until `units` orders are paid, or the sale's deadline; when the last unit was paid (undefined: not sold out). */
const waitForSellOut = async (paidAt: Map<string, number>, options: RushOptions, progress: (line: string) => void) => {
  const deadline = Date.now() + options.saleDeadlineMs;
  let reported = Date.now();
  while (paidAt.size < options.units && Date.now() < deadline) {
    await sleep(100);
    if (Date.now() - reported > 10_000) {
      progress(`rush: ${paidAt.size} of ${options.units} units paid`);
      reported = Date.now();
    }
  }
  if (paidAt.size < options.units) return undefined;
  return [...paidAt.values()].sort((a, b) => a - b)[options.units - 1];
};

/** Orders completes each order from its payment:created: the units sold once it caught up (or after 30 s). */
const soldOnceSettled = async (system: System, ticketId: string, paid: number) => {
  const deadline = Date.now() + 30_000;
  let sold = await unitsSold(system, ticketId);
  while (sold < paid && Date.now() < deadline) {
    await sleep(500);
    sold = await unitsSold(system, ticketId);
  }
  return sold;
};

/** rush.json, and rush.svg drawn from it by vega-lite (an ES module with top-level await: node renders it apart). */
const writeReport = async (report: RushReport, outDir: string) => {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'rush.json'), JSON.stringify(report, null, 2));
  const specFile = path.join(outDir, 'rush.vl.json');
  fs.writeFileSync(specFile, JSON.stringify(rushChartSpec(report)));
  const renderer = fork(path.join(repoRoot, 'local/scripts/render-vega-lite.mjs'), [specFile, path.join(outDir, 'rush.svg')]);
  const code = await new Promise<number | null>((resolve) => renderer.once('exit', resolve));
  if (code !== 0) throw new Error(`drawing rush.svg failed (${code})`);
};
