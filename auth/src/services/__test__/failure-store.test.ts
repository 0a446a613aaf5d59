import { FailureRecord, MemoryFailureStore } from '../failure-store';

let clock = 0;
const now = () => clock;
const MINUTE = 60_000;
const never = () => 0;

beforeEach(() => {
  clock = 1_000_000;
});

const count = (store: MemoryFailureStore, key: string, ttlMs = MINUTE) => store.attempt(key, clock, ttlMs, never);
const counted = (failures: number, lastFailureAt = clock): { counted: FailureRecord } => ({ counted: { failures, lastFailureAt } });

it('counts failures per key until they expire, a TTL after the latest one', async () => {
  const store = new MemoryFailureStore(now);
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
  const store = new MemoryFailureStore(now);
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
  const store = new MemoryFailureStore(now);
  await count(store, 'a');
  await store.clear('a');
  expect(await count(store, 'a')).toEqual(counted(1));
});

it('holds at most its bound, dropping expired records first, then the oldest', async () => {
  const store = new MemoryFailureStore(now, 3);
  await count(store, 'expired', 1);
  clock += 10;
  for (const key of ['a', 'b', 'c']) await count(store, key);
  expect(store.size).toBe(3);

  await count(store, 'a'); // a is now the most recent
  await count(store, 'd');
  expect(store.size).toBe(3);
  // b was dropped, so it starts again at 1 (and pushes out c, now the oldest); a kept its count.
  expect(await count(store, 'b')).toEqual(counted(1));
  expect(store.size).toBe(3);
  expect(await count(store, 'a')).toEqual(counted(3));
  expect(await count(store, 'c')).toEqual(counted(1));
});
