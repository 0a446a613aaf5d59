import mongoose from 'mongoose';
import { Subjects } from '../../events/subjects';
import { HasOutbox, outboxEntry, outboxField } from '../../outbox/outbox';
import { useTestDatabase } from '../../testing';
import { ConcurrentChangeError, retryOnConflict, updateIfCurrent } from '../update-if-current';

useTestDatabase();

interface Counter extends HasOutbox {
  count: number;
  version: number;
}
const Counter = mongoose.model<Counter>(
  'VersionedCounter',
  new mongoose.Schema<Counter>({ count: Number, version: Number, outbox: outboxField }),
);

const event = (orderId: string) => outboxEntry(Subjects.ExpirationComplete, { orderId });

it('applies the change on the current version, bumps it and stores the event in the same write', async () => {
  const counter = await Counter.create({ count: 0, version: 0 });

  const updated = await updateIfCurrent(Counter, counter, { update: { $set: { count: 1 } }, event: event('e1') });

  expect(updated!.toObject()).toMatchObject({ count: 1, version: 1 });
  expect(updated!.outbox.map((entry) => entry.data)).toEqual([{ orderId: 'e1' }]);
});

it('resolves null and changes nothing when the version read is no longer current', async () => {
  const counter = await Counter.create({ count: 0, version: 3 });

  expect(await updateIfCurrent(Counter, { _id: counter._id, version: 2 }, { update: { $set: { count: 9 } } })).toBeNull();
  expect(await Counter.findById(counter._id).lean()).toMatchObject({ count: 0, version: 3, outbox: [] });
});

it('resolves null when a further condition does not hold', async () => {
  const counter = await Counter.create({ count: 5, version: 0 });
  expect(await updateIfCurrent(Counter, counter, { update: { $set: { count: 6 } }, where: { count: 0 } })).toBeNull();
});

it('retries a lost race with a fresh read until the write lands', async () => {
  const counter = await Counter.create({ count: 0, version: 0 });
  const stale = await Counter.findById(counter._id);
  let attempts = 0;

  const updated = await retryOnConflict(async () => {
    attempts += 1;
    const read = attempts === 1 ? stale! : (await Counter.findById(counter._id))!;
    if (attempts === 1) await updateIfCurrent(Counter, read, { update: { $inc: { count: 1 } } });
    return updateIfCurrent(Counter, read, { update: { $set: { count: read.count + 10 } } });
  });

  expect(attempts).toBe(2);
  expect(updated.toObject()).toMatchObject({ count: 11, version: 2 });
});

it('gives up with a ConcurrentChangeError (a 400) when every attempt loses', async () => {
  let attempts = 0;
  const failing = retryOnConflict(() => {
    attempts += 1;
    return Promise.resolve(null);
  }, 3);

  await expect(failing).rejects.toBeInstanceOf(ConcurrentChangeError);
  await expect(failing).rejects.toMatchObject({ statusCode: 400 });
  expect(attempts).toBe(3);
});
