import { connectEventBus, eventBusEnvOf, eventBusKindOf, Subjects } from '../..';
import { JetStreamBus } from '../jetstream-bus';
import { NatsStreamingBus } from '../nats-streaming-bus';

const ticket = {
  id: 't1',
  version: 0,
  title: 'connect',
  price: 10,
  userId: 'u1',
  quantity: 1,
  available: 1,
  onSaleAt: null,
  waitingRoom: null,
  limitPerBuyer: 4,
};

it('takes the transport from EVENT_BUS, NATS Streaming unless set, and refuses any other name', () => {
  expect(eventBusKindOf({})).toBe('nats-streaming');
  expect(eventBusKindOf({ EVENT_BUS: '' })).toBe('nats-streaming');
  expect(eventBusKindOf({ EVENT_BUS: 'jetstream' })).toBe('jetstream');
  expect(() => eventBusKindOf({ EVENT_BUS: 'kafka' })).toThrow('EVENT_BUS must be one of nats-streaming, jetstream, not "kafka"');
});

it("asks for each transport's own variables", async () => {
  expect(eventBusEnvOf({})).toEqual(['NATS_URL', 'NATS_CLUSTER_ID']);
  expect(eventBusEnvOf({ EVENT_BUS: 'jetstream' })).toEqual(['NATS_URL']);
  await expect(connectEventBus('test', { EVENT_BUS: 'jetstream' })).rejects.toThrow('Missing required environment variable(s): NATS_URL');
  await expect(connectEventBus('test', {})).rejects.toThrow('Missing required environment variable(s): NATS_URL, NATS_CLUSTER_ID');
});

it('connects to the transport EVENT_BUS names', async () => {
  const jetstream = await connectEventBus('test', { EVENT_BUS: 'jetstream', NATS_URL: process.env.JETSTREAM_URL });
  const streaming = await connectEventBus('test', { NATS_URL: process.env.NATS_URL, NATS_CLUSTER_ID: process.env.NATS_CLUSTER_ID });
  try {
    expect(jetstream).toBeInstanceOf(JetStreamBus);
    expect(streaming).toBeInstanceOf(NatsStreamingBus);
    await expect(jetstream.publish(Subjects.TicketCreated, ticket)).resolves.toBeUndefined();
    await expect(streaming.publish(Subjects.TicketCreated, ticket)).resolves.toBeUndefined();
  } finally {
    await Promise.all([jetstream.close(), streaming.close()]);
  }
});
