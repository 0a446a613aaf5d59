import { setTimeout as sleep } from 'timers/promises';
import { metricsRegistry, redisFromEnv } from '@ticketing/common';
import { newTicketId, testPrefix } from '../../__test__/queue-harness';
import { defaultQueueConfig } from '../../config';
import { RedisConnection } from '../redis-connection';
import { parseAdmissionId, WaitingRoom, type Standing } from '../waiting-room';

const connections: RedisConnection[] = [];

/** A replica's view of the waiting rooms: its own Redis connection, the shared key prefix. */
const replica = async (keyPrefix: string, settings: Partial<typeof defaultQueueConfig> = {}) => {
  const redis = new RedisConnection(redisFromEnv());
  connections.push(redis);
  await redis.start();
  return new WaitingRoom(redis.commands, { ...defaultQueueConfig, keyPrefix, ...settings });
};

afterAll(() => Promise.all(connections.map((connection) => connection.stop())));

const users = (count: number, tag = 'user') => Array.from({ length: count }, (_, i) => `${tag}-${String(i).padStart(4, '0')}`);

const admissionOf = (standing: Standing) => (standing.kind === 'admitted' ? standing : undefined);

it('admits at most activeBuyers, in join order, and keeps the rest in line with their positions', async () => {
  const room = await replica(testPrefix());
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 3, onSaleAt: 0 });
  const line = users(7);
  for (const user of line) await room.join(ticketId, user);

  await room.admit(ticketId);

  const standings = await Promise.all(line.map((user) => room.standing(ticketId, user)));
  expect(standings.slice(0, 3).map((standing) => admissionOf(standing)?.admissionId)).toEqual([1, 2, 3].map((n) => `${ticketId}.${n}`));
  expect(standings.slice(3).map((standing) => (standing.kind === 'waiting' ? standing.rank : standing.kind))).toEqual([0, 1, 2, 3]);
  expect(await room.heldCount(ticketId)).toBe(3);
});

it('keeps the place of a buyer who joins again, and does not put an admitted buyer back in line', async () => {
  const room = await replica(testPrefix());
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 1, onSaleAt: 0 });
  for (const user of ['a', 'b', 'c']) await room.join(ticketId, user);
  await room.join(ticketId, 'b');
  await room.join(ticketId, 'a');
  expect(await room.standing(ticketId, 'b')).toMatchObject({ kind: 'waiting', rank: 1 });

  await room.admit(ticketId);
  await room.join(ticketId, 'a');

  expect(await room.standing(ticketId, 'a')).toMatchObject({ kind: 'admitted' });
  expect(await room.standing(ticketId, 'b')).toMatchObject({ kind: 'waiting', rank: 0 });
  expect(await room.standing(ticketId, 'c')).toMatchObject({ kind: 'waiting', rank: 1 });
});

it('knows only listings with a waiting room, and applies only a newer version of their rules', async () => {
  const room = await replica(testPrefix());
  const ticketId = newTicketId();
  expect(await room.join(ticketId, 'a')).toBeUndefined();
  expect(await room.standing(ticketId, 'a')).toEqual({ kind: 'unknown' });

  await room.setListing(ticketId, 2, { activeBuyers: 5, onSaleAt: 0 });
  await room.setListing(ticketId, 1, null);
  expect(await room.join(ticketId, 'a')).toEqual({ admitting: true });

  await room.setListing(ticketId, 3, null);
  expect(await room.standing(ticketId, 'a')).toEqual({ kind: 'unknown' });
  expect(await room.join(ticketId, 'b')).toBeUndefined();
});

it('admits no one before the listing goes on sale, and the line in order once it does', async () => {
  const room = await replica(testPrefix());
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 2, onSaleAt: Date.now() + 1_000 });
  const joins = [];
  for (const user of users(3)) joins.push(await room.join(ticketId, user));
  expect(joins).toEqual(users(3).map(() => ({ admitting: false })));

  expect(await room.admit(ticketId)).toBe(0);
  expect(await room.standing(ticketId, 'user-0000')).toMatchObject({ kind: 'waiting', rank: 0 });

  await sleep(1_100);
  expect(await room.join(ticketId, 'user-0002')).toEqual({ admitting: true });
  await room.admit(ticketId);
  expect(await room.standing(ticketId, 'user-0001')).toMatchObject({ kind: 'admitted', admissionId: `${ticketId}.2` });
  expect(await room.standing(ticketId, 'user-0002')).toMatchObject({ kind: 'waiting', rank: 0 });
});

it('gives a lapsed admission’s slot to the next in line only after the grace for a last-moment order', async () => {
  const room = await replica(testPrefix(), { admissionMs: 1_000, admissionGraceMs: 1_000 });
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 1, onSaleAt: 0 });
  for (const user of ['a', 'b']) await room.join(ticketId, user);
  await room.admit(ticketId);

  // The token has expired: a is no longer admitted, but the slot is still held for an order in flight.
  await sleep(1_300);
  expect(await room.standing(ticketId, 'a')).toMatchObject({ kind: 'outside' });
  await room.admit(ticketId);
  expect(await room.standing(ticketId, 'b')).toMatchObject({ kind: 'waiting', rank: 0 });

  await sleep(1_000);
  await room.admit(ticketId);
  expect(await room.standing(ticketId, 'b')).toMatchObject({ kind: 'admitted', admissionId: `${ticketId}.2` });
  expect(await room.heldCount(ticketId)).toBe(1);
});

it('holds the slot of an admission with an order until the order ends, then gives it to the next', async () => {
  const room = await replica(testPrefix(), { admissionMs: 500, admissionGraceMs: 0 });
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 1, onSaleAt: 0 });
  for (const user of ['a', 'b']) await room.join(ticketId, user);
  await room.admit(ticketId);

  expect(await room.orderPlaced(`${ticketId}.1`, 'order-a', Date.now() + 15 * 60_000)).toBe(true);
  await sleep(700);
  await room.admit(ticketId);
  expect(await room.standing(ticketId, 'a')).toMatchObject({ kind: 'admitted', ordered: true });
  expect(await room.standing(ticketId, 'b')).toMatchObject({ kind: 'waiting', rank: 0 });

  expect(await room.orderEnded('order-a')).toBe(ticketId);
  expect(await room.orderEnded('order-a')).toBeUndefined();
  await room.admit(ticketId);
  expect(await room.standing(ticketId, 'a')).toMatchObject({ kind: 'outside' });
  expect(await room.standing(ticketId, 'b')).toMatchObject({ kind: 'admitted', admissionId: `${ticketId}.2` });
});

it('frees the slot when the order’s end (naming its admission) is handled before the order itself', async () => {
  const room = await replica(testPrefix());
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 1, onSaleAt: 0 });
  await room.join(ticketId, 'a');
  await room.admit(ticketId);

  expect(await room.orderEnded('order-a', `${ticketId}.1`)).toBe(ticketId);
  expect(await room.orderPlaced(`${ticketId}.1`, 'order-a', Date.now() + 60_000)).toBe(false);

  expect(await room.heldCount(ticketId)).toBe(0);
  expect(await room.standing(ticketId, 'a')).toMatchObject({ kind: 'outside' });
});

it('leaves an admission alone when the end of another order names it', async () => {
  const room = await replica(testPrefix());
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 1, onSaleAt: 0 });
  await room.join(ticketId, 'a');
  await room.admit(ticketId);
  await room.orderPlaced(`${ticketId}.1`, 'order-a', Date.now() + 60_000);

  expect(await room.orderEnded('other-order', `${ticketId}.1`)).toBeUndefined();
  expect(await room.heldCount(ticketId)).toBe(1);
});

it('does not take a slot back for an order whose admission had already ended', async () => {
  const room = await replica(testPrefix(), { admissionMs: 100, admissionGraceMs: 0 });
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 1, onSaleAt: 0 });
  for (const user of ['a', 'b']) await room.join(ticketId, user);
  await room.admit(ticketId);
  await sleep(200);
  await room.admit(ticketId);

  expect(await room.orderPlaced(`${ticketId}.1`, 'late-order', Date.now() + 60_000)).toBe(false);
  expect(await room.heldCount(ticketId)).toBe(1);
});

/** Starts `call` as a replica whose clock is `offsetMs` ahead would: Date.now() is shifted while it is called. */
const withClockAhead = <T>(offsetMs: number, call: () => Promise<T>): Promise<T> => {
  const realNow = Date.now.bind(Date);
  const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
  try {
    return call();
  } finally {
    clock.mockRestore();
  }
};

it('never has more than activeBuyers live admissions when one replica’s clock runs ahead of the others', async () => {
  const prefix = testPrefix();
  const settings = { admissionMs: 60_000, admissionGraceMs: 10_000 };
  const [onTime, ahead] = await Promise.all([replica(prefix, settings), replica(prefix, settings)]);
  const ticketId = newTicketId();
  const cap = 2;
  await onTime.setListing(ticketId, 0, { activeBuyers: cap, onSaleAt: 0 });
  const line = users(6);
  for (const user of line) await onTime.join(ticketId, user);

  const liveUntil = new Map<string, number>();
  const noteAdmissions = async () => {
    for (const user of line) {
      const admission = admissionOf(await onTime.standing(ticketId, user));
      if (admission) liveUntil.set(user, admission.expiresAt);
    }
  };
  await onTime.admit(ticketId);
  await noteAdmissions();
  // Ahead by more than an admission and its grace: by its own clock, every slot's deadline has passed.
  await withClockAhead(settings.admissionMs + settings.admissionGraceMs + 5_000, () => ahead.admit(ticketId));
  await noteAdmissions();

  const now = Date.now();
  const live = [...liveUntil.values()].filter((expiresAt) => expiresAt > now);
  expect(live).toHaveLength(cap);
  expect(await onTime.heldCount(ticketId)).toBe(cap);
});

/** Pairs (i, j) admitted in the opposite order to the one they joined in. */
const inversions = (sequences: number[]) => {
  let count = 0;
  for (let i = 0; i < sequences.length; i += 1)
    for (let j = i + 1; j < sequences.length; j += 1) if (sequences[i] > sequences[j]) count += 1;
  return count;
};

it('never admits more than the cap nor out of join order, with four replicas racing rounds, joins and order ends', async () => {
  const prefix = testPrefix();
  const replicas = await Promise.all([1, 2, 3, 4].map(() => replica(prefix)));
  const ticketId = newTicketId();
  const cap = 10;
  await replicas[0].setListing(ticketId, 0, { activeBuyers: cap, onSaleAt: 0 });
  const line = users(200);
  // Joins spread over the replicas, one after another, so that the join order is known.
  for (const [i, user] of line.entries()) await replicas[i % 4].join(ticketId, user);

  const admittedAt = new Map<string, number>();
  let maxHeld = 0;
  let ordersEnded = 0;
  while (admittedAt.size < line.length) {
    await Promise.all(replicas.map((room) => room.admit(ticketId)));
    maxHeld = Math.max(maxHeld, await replicas[0].heldCount(ticketId));
    const standings = await Promise.all(line.map((user) => replicas[1].standing(ticketId, user)));
    const ends: Promise<unknown>[] = [];
    for (const [i, standing] of standings.entries()) {
      const admission = admissionOf(standing);
      if (!admission || admittedAt.has(line[i])) continue;
      admittedAt.set(line[i], parseAdmissionId(admission.admissionId)?.sequence ?? -1);
      // Each admitted buyer orders, and the order ends (paid or cancelled) through some replica.
      const orderId = `order-${line[i]}`;
      const room = replicas[i % 4];
      ends.push(
        room.orderPlaced(admission.admissionId, orderId, Date.now() + 60_000).then(() => replicas[(i + 1) % 4].orderEnded(orderId)),
      );
      ordersEnded += 1;
    }
    await Promise.all(ends);
  }

  expect(maxHeld).toBeLessThanOrEqual(cap);
  expect(maxHeld).toBe(cap);
  expect(ordersEnded).toBe(line.length);
  const sequences = line.map((user) => admittedAt.get(user) ?? -1);
  expect(sequences).toEqual(line.map((_, i) => i + 1));
  expect(inversions(sequences)).toBe(0);
});

it('ranks every waiter from the head of the line alone: their join number minus the head’s, as the line moves', async () => {
  const room = await replica(testPrefix());
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 4, onSaleAt: 0 });
  const line = users(40);
  for (const user of line.slice(0, 20)) await room.join(ticketId, user);
  await room.admit(ticketId);
  // The first admission's order ends and its buyer joins again, at the end, behind numbers taken meanwhile.
  await room.orderPlaced(`${ticketId}.1`, 'order-1', Date.now() + 60_000);
  await room.orderEnded('order-1');
  await room.join(ticketId, line[0]);
  for (const user of line.slice(20)) await room.join(ticketId, user);
  await room.admit(ticketId);

  const head = await room.lineHead(ticketId);
  const standings = await Promise.all(line.map((user) => room.standing(ticketId, user)));
  const waiting = standings.flatMap((standing) => (standing.kind === 'waiting' ? [standing] : []));
  expect(waiting.map((standing) => standing.rank).sort((a, b) => a - b)).toEqual(Array.from({ length: 36 }, (_, i) => i));
  expect(waiting.map((standing) => standing.sequence - (head?.headSequence ?? 0))).toEqual(waiting.map((standing) => standing.rank));

  const empty = newTicketId();
  await room.setListing(empty, 0, { activeBuyers: 1, onSaleAt: 0 });
  await room.join(empty, 'only');
  await room.admit(empty);
  expect(await room.lineHead(empty)).toMatchObject({ headSequence: 2 });
  expect(await room.lineHead(newTicketId())).toBeUndefined();
});

it('admits no one while the listing is sold out, keeps its line in order, and admits from its head once units are back', async () => {
  const room = await replica(testPrefix());
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 2, onSaleAt: 0, soldOut: true });
  const line = users(5);
  for (const user of line) await room.join(ticketId, user);

  expect(await room.admit(ticketId)).toBe(0);
  const soldOut = await Promise.all(line.map((user) => room.standing(ticketId, user)));
  expect(soldOut.map((standing) => (standing.kind === 'waiting' ? [standing.rank, standing.rules.soldOut] : standing.kind))).toEqual(
    line.map((_, i) => [i, true]),
  );

  await room.setListing(ticketId, 1, { activeBuyers: 2, onSaleAt: 0, soldOut: false });
  expect(await room.admit(ticketId)).toBe(2);
  const resumed = await Promise.all(line.map((user) => room.standing(ticketId, user)));
  expect(resumed.slice(0, 2).map((standing) => admissionOf(standing)?.admissionId)).toEqual([`${ticketId}.1`, `${ticketId}.2`]);
  expect(
    resumed.slice(2).map((standing) => (standing.kind === 'waiting' ? [standing.rank, standing.rules.soldOut] : standing.kind)),
  ).toEqual([
    [0, false],
    [1, false],
    [2, false],
  ]);
});

it('reports each pending line and its admitted buyers for the metrics, and counts the admissions it made', async () => {
  const room = await replica(testPrefix());
  const ticketId = newTicketId();
  await room.setListing(ticketId, 0, { activeBuyers: 2, onSaleAt: 0 });
  for (const user of users(5)) await room.join(ticketId, user);
  const admittedBefore = (await metricsRegistry.getSingleMetric('waiting_room_admissions_total')?.get())?.values[0]?.value ?? 0;

  expect(await room.admit(ticketId)).toBe(2);

  expect(await room.occupancy()).toEqual([{ ticketId, waiting: 3, admitted: 2 }]);
  expect((await metricsRegistry.getSingleMetric('waiting_room_admissions_total')?.get())?.values[0]?.value).toBe(admittedBefore + 2);
});
