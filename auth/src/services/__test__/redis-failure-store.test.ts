import crypto from 'crypto';
import { connectLimitsRedis } from '../limits-redis';
import { FailureRecord } from '../failure-store';
import { RedisFailureStore } from '../redis-failure-store';

// Against the real Redis the test runner starts; each store under a prefix of its own.
let clock = 0;
const MINUTE = 60_000;
const never = () => 0;
const connections = [connectLimitsRedis(), connectLimitsRedis(), connectLimitsRedis()];
const [redis] = connections;

beforeEach(() => {
  clock = 1_000_000;
});

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.quit()));
});

const newStore = (prefix = `test:${crypto.randomUUID()}:`) => new RedisFailureStore(redis, prefix);
const count = (store: RedisFailureStore, key: string, ttlMs = MINUTE) => store.attempt(key, clock, ttlMs, never);
const counted = (failures: number, lastFailureAt = clock): { counted: FailureRecord } => ({ counted: { failures, lastFailureAt } });

it('counts failures per key until they expire, a TTL after the latest one', async () => {
  const store = newStore();
  await count(store, 'a');
  clock += MINUTE / 2;
  expect(await count(store, 'a')).toEqual(counted(2));
  expect(await count(store, 'b')).toEqual(counted(1));
  clock += MINUTE - 1;
  expect(await count(store, 'a')).toEqual(counted(3));
  clock += MINUTE;
  expect(await count(store, 'a')).toEqual(counted(1));
});

it('leaves a locked record as it is and says until when it is locked', async () => {
  const store = newStore();
  const lockedAfterTwo = ({ failures, lastFailureAt }: FailureRecord) => (failures >= 2 ? lastFailureAt + 1_000 : 0);
  await store.attempt('a', clock, MINUTE, lockedAfterTwo);
  const second = clock;
  await store.attempt('a', clock, MINUTE, lockedAfterTwo);
  clock += 999;
  expect(await store.attempt('a', clock, MINUTE, lockedAfterTwo)).toEqual({ lockedUntil: second + 1_000 });
  clock += 1;
  expect(await store.attempt('a', clock, MINUTE, lockedAfterTwo)).toEqual(counted(3));
});

it('clears a key', async () => {
  const store = newStore();
  await count(store, 'a');
  await store.clear('a');
  expect(await count(store, 'a')).toEqual(counted(1));
});

it('lets Redis forget a record a TTL after its latest failure', async () => {
  const prefix = `test:${crypto.randomUUID()}:`;
  await count(newStore(prefix), 'a', 5_000);
  const ttl = await redis.pttl(`${prefix}a`);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(5_000);
});

it('keeps one count for three processes attempting at once, each on its own connection', async () => {
  const prefix = `test:${crypto.randomUUID()}:`;
  const stores = connections.map((connection) => new RedisFailureStore(connection, prefix));
  const lockedAfterFive = ({ failures, lastFailureAt }: FailureRecord) => (failures >= 5 ? lastFailureAt + MINUTE : 0);
  const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3].attempt('ann', clock, MINUTE, lockedAfterFive)));

  // Exactly five get through, however the thirty interleave; the other 25 meet the lock.
  expect(outcomes.filter((outcome) => 'counted' in outcome)).toHaveLength(5);
  expect(outcomes.filter((outcome) => 'lockedUntil' in outcome)).toHaveLength(25);
});
