import crypto from 'crypto';
import type { Redis } from 'ioredis';
import { jobRetention, RETAINED_JOBS } from '@ticketing/common';

/**
 * The worst case each Redis of the cluster is sized for (docs/design.md, "Redis memory budget"), written in
 * the shapes the services write: the waiting room's keys as its scripts store them, bull's job hashes with
 * the fields and options bull stores, auth's limit counters and lock-out records.
 */
export const QUEUE_WORST_CASE = {
  waitingBuyers: 300_000,
  orderedAdmissions: 10_000,
  listingsWithRoom: 10_000,
  listingsWithoutRoom: 100_000,
};

export const EXPIRATION_WORST_CASE = {
  /** Open orders, each with its expiry job waiting for its time. */
  scheduledExpiries: 50_000,
  /** Charges waiting for their next try. */
  retryingCharges: 5_000,
  /** Finished jobs of each queue, as many as jobRetention keeps. */
  completedExpiries: RETAINED_JOBS.completed,
  completedCharges: RETAINED_JOBS.completed,
  failedExpiries: RETAINED_JOBS.failed,
  failedCharges: RETAINED_JOBS.failed,
  signupAddresses: 50_000,
  signinAddresses: 50_000,
  lockedOutAccounts: 50_000,
};

/** Commands sent per pipeline, and pipelines in flight at once (each on a connection of its own). */
const BATCH = 2_000;
const LANES = 4;

type Command = (pipeline: ReturnType<Redis['pipeline']>, i: number) => void;

/** Sends `command` for start..end-1 in one pipeline; throws the first error (an OOM when Redis is full). */
const sendBatch = async (redis: Redis, start: number, end: number, command: Command): Promise<void> => {
  const pipeline = redis.pipeline();
  for (let i = start; i < end; i += 1) command(pipeline, i);
  const failed = ((await pipeline.exec()) ?? []).find(([err]) => err);
  if (failed?.[0]) throw failed[0];
};

/** Runs `command` for 0..count-1, in pipelines over several connections. */
const fill = async (redis: Redis, count: number, command: Command): Promise<void> => {
  const lanes = Array.from({ length: LANES }, () => redis.duplicate());
  let next = 0;
  const lane = async (connection: Redis) => {
    while (next < count) {
      const start = next;
      next = Math.min(count, start + BATCH);
      await sendBatch(connection, start, next, command);
    }
  };
  try {
    await Promise.all(lanes.map(lane));
  } finally {
    for (const connection of lanes) connection.disconnect();
  }
};

export const usedMemory = async (redis: Redis): Promise<number> => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);

/** Fills `count` items and answers the bytes each took (Redis's used_memory before and after). */
export const measureFill = async (redis: Redis, count: number, command: Command): Promise<number> => {
  const before = await usedMemory(redis);
  await fill(redis, count, command);
  return Math.round(((await usedMemory(redis)) - before) / count);
};

/** An id as the services make them: 24 hex digits, distinct per `kind` and `i`. */
const idOf = (kind: number, i: number) => `${kind.toString(16).padStart(8, '0')}${i.toString(16).padStart(16, '0')}`;
const HOUR = 3_600_000;

/** The waiting room's keys (prefix `queue:`), as JOIN, ADMIT, ORDER_PLACED and SET_LISTING store them. */
export const queueFillers = (now: number): Record<keyof typeof QUEUE_WORST_CASE, Command> => {
  const LINES = 100;
  const PER_LINE = QUEUE_WORST_CASE.waitingBuyers / LINES;
  const JOINS_PER_COMMAND = 100;
  const ADMITTING = 200;
  return {
    // Long lines on listings that open in an hour; JOIN's ZADDs, a hundred buyers of one line per command.
    waitingBuyers: (p, i) => {
      if (i % JOINS_PER_COMMAND !== 0) return;
      const members = Array.from({ length: JOINS_PER_COMMAND }, (_, k) => [((i + k) % PER_LINE) + 1, idOf(2, i + k)]);
      p.zadd(`queue:line:${idOf(1, Math.floor(i / PER_LINE))}`, ...members.flat());
    },
    orderedAdmissions: (p, i) => {
      const ticketId = idOf(3, i % ADMITTING);
      const admissionId = `${ticketId}.${Math.floor(i / ADMITTING) + 1}`;
      const [userId, orderId] = [idOf(4, i), idOf(5, i)];
      p.zadd(`queue:held:${ticketId}`, now + 16 * 60_000, admissionId);
      p.hset(`queue:admissions:${ticketId}`, admissionId, JSON.stringify({ u: userId, a: now, e: now + 120_000, o: orderId }));
      p.hset(`queue:holders:${ticketId}`, userId, admissionId);
      p.hset('queue:orders', orderId, admissionId);
    },
    listingsWithRoom: (p, i) =>
      p.hset(`queue:listing:${idOf(i < LINES ? 1 : 6, i)}`, {
        version: 3,
        onSaleAt: now + HOUR,
        activeBuyers: 50,
        joined: 3_000,
        admitted: 1_200,
        openedAt: now + HOUR,
        opening: 50,
      }),
    listingsWithoutRoom: (p, i) =>
      p.hset(`queue:listing:${idOf(7, i)}`, { version: 12, onSaleAt: 0 }).expire(`queue:listing:${idOf(7, i)}`, 24 * 60 * 60),
  };
};

/** A bull job hash as bull 4 stores it (`finished`: completed or failed, with what that adds). */
const jobFields = (data: object, opts: object, now: number, finished: 'completed' | 'failed' | undefined) => ({
  name: '__default__',
  data: JSON.stringify(data),
  opts: JSON.stringify({ ...opts, ...jobRetention, timestamp: now }),
  timestamp: now,
  delay: 0,
  priority: 0,
  ...(finished && { processedOn: now, finishedOn: now + 5 }),
  ...(finished === 'completed' && { returnvalue: 'null' }),
  ...(finished === 'failed' && {
    attemptsMade: 12,
    failedReason: 'nats: connection closed while publishing expiration:complete',
    stacktrace: JSON.stringify([
      `Error: nats: connection closed while publishing expiration:complete\n${'    at Publisher.publish (/app/common/build/bus/publisher.js:41:19)\n'.repeat(8)}`,
    ]),
  }),
});

const EXPIRY_OPTS = { attempts: 12, backoff: { type: 'exponential', delay: 500 } };
const CHARGE_OPTS = { attempts: 8, backoff: { type: 'exponential', delay: 1_000 } };

/** A job of the queue `name` in `state`: its hash and its entry in that state's sorted set. */
const job = (name: string, state: 'delayed' | 'completed' | 'failed', jobId: string, data: object, opts: object, now: number): Command => {
  return (p) => {
    p.hset(`bull:${name}:${jobId}`, jobFields(data, { jobId, ...opts }, now, state === 'delayed' ? undefined : state));
    // A delayed job's score is its time (×4096, bull's layout); a finished one's is when it finished.
    p.zadd(`bull:${name}:${state}`, state === 'delayed' ? (now + HOUR) * 4096 : now, jobId);
  };
};

const expiryJob = (state: 'delayed' | 'completed' | 'failed', i: number, now: number): Command => {
  const orderId = idOf(8 + ['delayed', 'completed', 'failed'].indexOf(state), i);
  return job('order:expiration', state, orderId, { orderId }, EXPIRY_OPTS, now);
};

const chargeJob = (state: 'delayed' | 'completed' | 'failed', i: number, now: number): Command => {
  const paymentId = idOf(16 + ['delayed', 'completed', 'failed'].indexOf(state), i);
  return job('payment:charge', state, `${paymentId}-1`, { paymentId, attempt: 1 }, CHARGE_OPTS, now);
};

/** An IPv6 client's /56 as express-rate-limit keys it. */
const addressOf = (i: number) => `2001:db8:${(i >> 8).toString(16)}:${(i & 0xff).toString(16)}00::/56`;

/** expiration-redis's keys: expiration's and payments' bull queues, auth's limits (prefix `auth:`). */
export const expirationFillers = (now: number): Record<keyof typeof EXPIRATION_WORST_CASE, Command> => ({
  scheduledExpiries: (p, i) => expiryJob('delayed', i, now)(p, i),
  retryingCharges: (p, i) => chargeJob('delayed', i, now)(p, i),
  completedExpiries: (p, i) => expiryJob('completed', i, now)(p, i),
  completedCharges: (p, i) => chargeJob('completed', i, now)(p, i),
  failedExpiries: (p, i) => expiryJob('failed', i, now)(p, i),
  failedCharges: (p, i) => chargeJob('failed', i, now)(p, i),
  signupAddresses: (p, i) => p.set(`auth:signup-address:${addressOf(i)}`, 20, 'PX', HOUR),
  signinAddresses: (p, i) => p.set(`auth:signin-address:${addressOf(i)}`, 10, 'PX', 15 * 60_000),
  lockedOutAccounts: (p, i) =>
    p.set(
      `auth:signin-failures:${crypto.createHash('md5').update(String(i)).digest('hex')}@example.com`,
      JSON.stringify({ failures: 9, lastFailureAt: now, expiresAt: now + 15 * 60_000 }),
      'PX',
      15 * 60_000,
    ),
});
