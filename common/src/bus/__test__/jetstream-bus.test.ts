import { DiscardPolicy, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Subjects } from '../..';
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
