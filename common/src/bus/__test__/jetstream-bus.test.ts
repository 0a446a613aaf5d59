import { AckPolicy, DiscardPolicy, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { OutOfOrderEventError, Subjects } from '../..';
import { ticketUpdatedData, waitUntil } from '../../testing';
import { JetStreamBus, redeliveryDelayMs, STREAM_LIMITS, STREAM_NAME } from '../jetstream-bus';
import { ownBroker, transports } from './transports';

it('waits the ack wait before the first redelivery, then doubles it up to 8×, capped at a minute unless the ack wait is longer', () => {
  expect([1, 2, 3, 4, 5, 20].map((deliveries) => redeliveryDelayMs(5_000, deliveries))).toEqual([
    5_000, 10_000, 20_000, 40_000, 40_000, 40_000,
  ]);
  expect([1, 2, 3].map((deliveries) => redeliveryDelayMs(30_000, deliveries))).toEqual([30_000, 60_000, 60_000]);
  expect(redeliveryDelayMs(90_000, 4)).toBe(90_000);
});

it('creates the stream with every subject and the limits in code, and brings an older one up to date', async () => {
  const broker = await ownBroker(transports.find(({ kind }) => kind === 'jetstream')!);
  const nc = await connect({ servers: broker.url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAM_NAME, subjects: [Subjects.TicketCreated], duplicate_window: 120 * 1e9 });

    const bus = await JetStreamBus.connect({ url: broker.url, clientName: 'stream-test', log: () => {} });
    await bus.close();

    const { config } = await jsm.streams.info(STREAM_NAME);
    expect([...config.subjects].sort()).toEqual(Object.values(Subjects).sort());
    expect(config).toMatchObject({
      max_age: STREAM_LIMITS.maxAgeMs * 1e6,
      max_bytes: STREAM_LIMITS.maxBytes,
      duplicate_window: STREAM_LIMITS.duplicateWindowMs * 1e6,
      discard: DiscardPolicy.Old,
    });
  } finally {
    await nc.close();
    await broker.stop();
  }
});

it('redelivers an early version (OutOfOrderEventError) every ack wait, without the growing delay of a failure', async () => {
  const broker = await ownBroker(transports.find(({ kind }) => kind === 'jetstream')!);
  const bus = await JetStreamBus.connect({ url: broker.url, clientName: 'early-test', log: () => {} });
  try {
    const ticket = ticketUpdatedData({ version: 5 });
    const deliveredAt: number[] = [];
    const subscription = bus.subscribe(Subjects.TicketUpdated, { queueGroup: 'early-test', ackWaitMs: 1_000 }, (data) => {
      deliveredAt.push(Date.now());
      return Promise.reject(new OutOfOrderEventError('Ticket', data.id, data.version));
    });
    await bus.publish(Subjects.TicketUpdated, ticket);
    await waitUntil(() => deliveredAt.length >= 5, 20_000, 'five deliveries');
    await subscription.close();

    // 1 s apart each time (1 + 1 + 1 + 1 s); the failure schedule would take 1 + 2 + 4 + 8 = 15 s.
    expect(deliveredAt[4] - deliveredAt[0]).toBeLessThan(8_000);
  } finally {
    await bus.close();
    await broker.stop();
  }
}, 30_000);

it("brings an older durable consumer's acks up to date: the ack wait in code, and no backoff", async () => {
  const broker = await ownBroker(transports.find(({ kind }) => kind === 'jetstream')!);
  const nc = await connect({ servers: broker.url });
  const bus = await JetStreamBus.connect({ url: broker.url, clientName: 'consumer-test', log: () => {} });
  try {
    const jsm = await jetstreamManager(nc);
    const name = 'older-group_ticket-updated';
    await jsm.consumers.add(STREAM_NAME, {
      durable_name: name,
      filter_subject: Subjects.TicketUpdated,
      ack_policy: AckPolicy.Explicit,
      ack_wait: 30 * 1e9,
      backoff: [30 * 1e9, 60 * 1e9],
      max_deliver: -1,
    });

    const handled: number[] = [];
    const subscription = bus.subscribe(Subjects.TicketUpdated, { queueGroup: 'older-group', ackWaitMs: 2_000 }, (data) => {
      handled.push(data.version);
      return Promise.resolve();
    });
    await bus.publish(Subjects.TicketUpdated, ticketUpdatedData({ version: 3 }));
    await waitUntil(() => handled.length > 0, 10_000, 'the message through the updated consumer');
    await subscription.close();

    const { config } = await jsm.consumers.info(STREAM_NAME, name);
    expect(config.ack_wait).toBe(2_000 * 1e6);
    expect(config.backoff ?? []).toEqual([]);
  } finally {
    await bus.close();
    await nc.close();
    await broker.stop();
  }
}, 30_000);
