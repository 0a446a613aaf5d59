import mongoose from 'mongoose';
import { RecordingBus, useTestDatabase } from '../../testing';
import { HasOutbox, outboxEntry, outboxField, OutboxRelay } from '../outbox';
import { Subjects } from '../../events/subjects';

useTestDatabase();

interface Thing extends HasOutbox {
  name: string;
}
const Thing = mongoose.model<Thing>('OutboxThing', new mongoose.Schema<Thing>({ name: String, outbox: outboxField }));

const bus = new RecordingBus();
const relay = new OutboxRelay(Thing, () => bus, { log: () => {} });

const event = (id: string) => outboxEntry(Subjects.ExpirationComplete, { orderId: id });

beforeEach(() => bus.clear());

it('publishes stored events in order and empties the outbox', async () => {
  await Thing.create({ name: 'a', outbox: [event('1'), event('2')] });
  await Thing.create({ name: 'b', outbox: [event('3')] });

  await relay.flush();

  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: '1' }, { orderId: '2' }, { orderId: '3' }]);
  expect(await Thing.countDocuments({ 'outbox.0': { $exists: true } })).toBe(0);
});

it('keeps an event whose publish failed and publishes it on the next run', async () => {
  await Thing.create({ name: 'a', outbox: [event('1'), event('2')] });
  bus.failNext(1);

  await relay.flush();
  expect(bus.published).toHaveLength(0);
  expect((await Thing.findOne({ name: 'a' }))!.outbox).toHaveLength(2);

  await relay.flush();
  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: '1' }, { orderId: '2' }]);
  expect((await Thing.findOne({ name: 'a' }))!.outbox).toHaveLength(0);
});

it('keeps events written while a relay pass runs', async () => {
  const doc = await Thing.create({ name: 'a', outbox: [event('1')] });
  const pass = relay.flush();
  await Thing.updateOne({ _id: doc._id }, { $push: { outbox: event('2') } });
  await pass;
  await relay.flush();

  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: '1' }, { orderId: '2' }]);
});

it('relays on start-up and on its timer', async () => {
  await Thing.create({ name: 'a', outbox: [event('at-start')] });
  const timed = new OutboxRelay(Thing, () => bus, { intervalMs: 50, log: () => {} });
  await timed.start();
  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: 'at-start' }]);

  await Thing.create({ name: 'b', outbox: [event('on-timer')] });
  const deadline = Date.now() + 5_000;
  while (bus.published.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await timed.stop();
  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: 'at-start' }, { orderId: 'on-timer' }]);
});

it('never runs two passes at once, so no event is published twice by one relay', async () => {
  await Thing.create({ name: 'a', outbox: [event('1'), event('2'), event('3')] });
  await Promise.all([relay.flush(), relay.flush(), relay.flush()]);
  expect(bus.published).toHaveLength(3);
});
