import mongoose from 'mongoose';
import { RecordingBus, useTestDatabase, waitUntil } from '../../testing';
import { HasOutbox, outboxEntry, outboxField, OutboxRelay } from '../outbox';
import { Subjects } from '../../events/subjects';

useTestDatabase();

interface Thing extends HasOutbox {
  name: string;
}
const Thing = mongoose.model<Thing>('OutboxThing', new mongoose.Schema<Thing>({ name: String, outbox: outboxField }));

const bus = new RecordingBus();
const relay = new OutboxRelay(Thing, bus, { log: () => {} });

const event = (id: string) => outboxEntry(Subjects.ExpirationComplete, { orderId: id });

beforeEach(() => {
  bus.recover();
  bus.forgetPublished();
});

it("publishes each document's events in order and empties the outbox", async () => {
  await Thing.create({ name: 'a', outbox: [event('a1'), event('a2'), event('a3')] });
  await Thing.create({ name: 'b', outbox: [event('b1'), event('b2')] });

  await relay.flush();

  const published = bus.eventsOf(Subjects.ExpirationComplete).map(({ orderId }) => orderId);
  expect(published.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
  expect(published.filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2']);
  expect(await Thing.countDocuments({ 'outbox.0': { $exists: true } })).toBe(0);
});

it("names each published message by its outbox entry's id, so that the transport can drop a repeated publish", async () => {
  const entries = [event('m1'), event('m2')];
  await Thing.create({ name: 'm', outbox: entries });

  await relay.flush();

  const mine = bus.published.filter(({ data }) => String((data as { orderId: string }).orderId).startsWith('m'));
  expect(mine.map(({ msgId }) => msgId)).toEqual(entries.map(({ id }) => id));
});

it('keeps an event whose publish failed and publishes it on the next run', async () => {
  await Thing.create({ name: 'a', outbox: [event('1'), event('2')] });
  bus.fail();

  await relay.flush();
  expect(bus.published).toHaveLength(0);
  expect((await Thing.findOne({ name: 'a' }))!.outbox).toHaveLength(2);

  bus.recover();
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

it('relays on start-up and sweeps on its timer', async () => {
  await Thing.create({ name: 'a', outbox: [event('at-start')] });
  const timed = new OutboxRelay(Thing, bus, { sweepIntervalMs: 50, log: () => {} });
  await timed.start();
  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: 'at-start' }]);

  await Thing.create({ name: 'b', outbox: [event('on-timer')] });
  await waitUntil(() => bus.published.length === 2, 15_000, 'the timed sweep');
  await timed.stop();
  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: 'at-start' }, { orderId: 'on-timer' }]);
});

it('a wake-up relays the documents it names, and reads no other', async () => {
  const named = await Thing.create({ name: 'named', outbox: [event('named')] });
  await Thing.create({ name: 'other', outbox: [event('other')] });
  const woken = new OutboxRelay(Thing, bus, { log: () => {} });

  woken.kick(named._id);
  await waitUntil(() => bus.published.length === 1, 15_000, 'the named document');
  await new Promise((r) => setTimeout(r, 100));

  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: 'named' }]);
  expect((await Thing.findOne({ name: 'other' }))!.outbox).toHaveLength(1);
  await woken.stop();
});

it('retries a failed publish with backoff, without holding up the documents behind it', async () => {
  const failing = await Thing.create({ name: 'failing', outbox: [event('late')] });
  const healthy = await Thing.create({ name: 'healthy', outbox: [event('on-time')] });
  const messages: string[] = [];
  const retrying = new OutboxRelay(Thing, bus, { retryMs: 200, log: (message) => messages.push(message) });
  bus.fail((_subject, data) => (data as { orderId: string }).orderId === 'late');

  retrying.kick(failing._id, healthy._id);
  await waitUntil(() => bus.published.length === 1, 15_000, 'the healthy document');
  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: 'on-time' }]);
  await waitUntil(() => messages.length > 0, 15_000, 'the failure to be logged');
  expect(messages[0]).toMatch(/OutboxThing \w+: relay failed \(attempt 1\), retrying in 200 ms/);
  bus.recover();

  await waitUntil(() => bus.published.length === 2, 15_000, 'the retry');
  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: 'on-time' }, { orderId: 'late' }]);
  expect((await Thing.findById(failing._id))!.outbox).toHaveLength(0);
  await retrying.stop();
});

it('relays again a document written while it was being relayed', async () => {
  const doc = await Thing.create({ name: 'a', outbox: [event('1')] });
  const woken = new OutboxRelay(Thing, bus, { log: () => {} });
  woken.kick(doc._id);
  await Thing.updateOne({ _id: doc._id }, { $push: { outbox: event('2') } });
  woken.kick(doc._id);

  await waitUntil(() => bus.published.length === 2, 15_000, 'both events');
  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: '1' }, { orderId: '2' }]);
  await woken.stop();
});

it('does not publish again an entry it relayed when handed a copy of the document read before that', async () => {
  const doc = await Thing.create({ name: 'a', outbox: [event('1')] });
  const stale = (await Thing.findById(doc._id))!;
  const woken = new OutboxRelay(Thing, bus, { log: () => {} });
  woken.kick(doc);
  await waitUntil(async () => (await Thing.findById(doc._id))!.outbox.length === 0, 15_000, 'the entry relayed');

  // A request that lost the race to write the document kicks the relay with what it read.
  woken.kick(stale);
  await woken.flush();
  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: '1' }]);
  await woken.stop();
});

it('never runs two passes at once, so no event is published twice by one relay', async () => {
  await Thing.create({ name: 'a', outbox: [event('1'), event('2'), event('3')] });
  await Promise.all([relay.flush(), relay.flush(), relay.flush()]);
  expect(bus.published).toHaveLength(3);
});

it('sweeps through the connection start() is given, leaving the service its own for writes', async () => {
  await Thing.create({ name: 'a', outbox: [event('swept')] });
  const sweepConnection = await mongoose
    .createConnection(process.env.MONGO_URI!, { dbName: mongoose.connection.name, autoIndex: false })
    .asPromise();
  const separate = new OutboxRelay(Thing, bus, { log: () => {} });
  const scansOnServiceConnection = jest.spyOn(Thing, 'find');

  await separate.start({ sweepConnection });

  expect(bus.eventsOf(Subjects.ExpirationComplete)).toEqual([{ orderId: 'swept' }]);
  expect(scansOnServiceConnection).not.toHaveBeenCalled();
  scansOnServiceConnection.mockRestore();
  await separate.stop();
  await sweepConnection.close();
});

it('with several replicas relaying one collection, publishes every event in order, may publish one twice, and removes each once', async () => {
  const docs = await Promise.all(
    ['a', 'b', 'c'].map((name) => Thing.create({ name, outbox: [event(`${name}1`), event(`${name}2`), event(`${name}3`)] })),
  );
  // Three replicas: each sweeps at start (the same documents), one is also kicked by the write.
  const replicas = [0, 1, 2].map(() => new OutboxRelay(Thing, bus, { log: () => {} }));
  replicas[0].kick(...docs);
  await Promise.all(replicas.map((replica) => replica.flush()));

  const published = bus.eventsOf(Subjects.ExpirationComplete).map(({ orderId }) => orderId);
  for (const name of ['a', 'b', 'c']) {
    const ofDoc = published.filter((id) => id.startsWith(name));
    // Each event at least once, none skipped, and the first time each appears is in the document's order.
    expect([...new Set(ofDoc)]).toEqual([`${name}1`, `${name}2`, `${name}3`]);
  }
  expect(await Thing.countDocuments({ 'outbox.0': { $exists: true } })).toBe(0);
  // Consumers see duplicates, never gaps: each listener is idempotent (docs/design.md, "Replicas").
  expect(published.length).toBeGreaterThanOrEqual(9);
  await Promise.all(replicas.map((replica) => replica.stop()));
});
