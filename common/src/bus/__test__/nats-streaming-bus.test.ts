import net from 'net';
import { Listener, MessageInfo, NatsStreamingBus, Publisher, Subjects, TicketCreatedEvent } from '../..';

// Exchanges real messages through the nats-streaming-server that jest's global setup started.
const connect = (clientName = 'common-test') =>
  NatsStreamingBus.connect({
    clusterId: process.env.NATS_CLUSTER_ID!,
    url: process.env.NATS_URL!,
    clientName,
    log: () => {},
  });

class TicketCreatedPublisher extends Publisher<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;
}

type Received = { data: TicketCreatedEvent['data']; info: MessageInfo };

class RecordingTicketListener extends Listener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;
  readonly received: Received[] = [];
  failuresLeft = 0;

  constructor(
    bus: NatsStreamingBus,
    readonly queueGroupName: string,
    protected override ackWaitMs = 1_000,
  ) {
    super(bus);
  }

  async onMessage(data: TicketCreatedEvent['data'], info: MessageInfo) {
    this.received.push({ data, info });
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('handler failed');
    }
  }
}

const ticket = (title: string): TicketCreatedEvent['data'] => ({ id: title, version: 0, title, price: 10.5, userId: 'u1' });

const waitFor = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

let buses: NatsStreamingBus[] = [];
const open = async (name?: string) => {
  const bus = await connect(name);
  buses.push(bus);
  return bus;
};

afterEach(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
  buses = [];
});

it('delivers a typed event from a Publisher to a Listener, in order', async () => {
  const bus = await open();
  const listener = new RecordingTicketListener(bus, `group-${Date.now()}`);
  listener.listen();

  const publisher = new TicketCreatedPublisher(bus);
  await publisher.publish(ticket('first'));
  await publisher.publish(ticket('second'));

  // The first messages on this test run's fresh server, so exactly these two, in publish order.
  await waitFor(() => listener.received.length === 2);
  expect(listener.received.map((r) => r.data)).toEqual([ticket('first'), ticket('second')]);
  expect(listener.received[0].info.redelivered).toBe(false);
});

it('redelivers a message whose handler threw, and stops once it is acked', async () => {
  const bus = await open();
  const listener = new RecordingTicketListener(bus, `group-${Date.now()}`);
  listener.listen();
  // Earlier tests' messages arrive first (deliver-all); fail only the one under test.
  await waitFor(() => listener.received.length >= 2);
  const before = listener.received.length;
  listener.failuresLeft = 1;

  await new TicketCreatedPublisher(bus).publish(ticket('retry-me'));

  const deliveries = () => listener.received.slice(before).filter((r) => r.data.title === 'retry-me');
  await waitFor(() => deliveries().length === 2);
  expect(deliveries().map((r) => r.info.redelivered)).toEqual([false, true]);
  // Acked the second time: nothing more arrives after another ack wait.
  await new Promise((r) => setTimeout(r, 1_500));
  expect(deliveries()).toHaveLength(2);
});

it('lets a durable queue group resume where it stopped, and delivers everything on first start', async () => {
  const group = `durable-${Date.now()}`;
  const publisherBus = await open('publisher');
  const publisher = new TicketCreatedPublisher(publisherBus);
  await publisher.publish(ticket('before-first-start'));

  const first = new RecordingTicketListener(await open('replica'), group);
  const subscription = first.listen();
  await waitFor(() => first.received.some((r) => r.data.title === 'before-first-start'));
  await subscription.close();

  await publisher.publish(ticket('while-down'));
  const second = new RecordingTicketListener(await open('replica'), group);
  second.listen();

  await waitFor(() => second.received.some((r) => r.data.title === 'while-down'));
  expect(second.received.map((r) => r.data.title)).not.toContain('before-first-start');
});

it('shares one queue group between two replicas: each message handled once', async () => {
  const group = `shared-${Date.now()}`;
  // A long ack wait: a redelivery (at-least-once) would otherwise look like a double hand-out.
  const a = new RecordingTicketListener(await open('replica'), group, 30_000);
  const b = new RecordingTicketListener(await open('replica'), group, 30_000);
  a.listen();
  b.listen();
  const publisher = new TicketCreatedPublisher(await open());
  for (let i = 0; i < 20; i++) await publisher.publish(ticket(`shared-${i}`));

  const titles = () => [...a.received, ...b.received].map((r) => r.data.title).filter((t) => t.startsWith('shared-'));
  await waitFor(() => titles().length >= 20);
  await new Promise((r) => setTimeout(r, 300));
  expect(titles()).toHaveLength(20);
  expect(new Set(titles()).size).toBe(20);
});

it('gives every connection a unique client id, so a restarted process does not clash', async () => {
  // With a fixed id the second connect would fail with "clientID already registered".
  const first = await open('same-name');
  const second = await open('same-name');
  await expect(new TicketCreatedPublisher(first).publish(ticket('from-first'))).resolves.toBeUndefined();
  await expect(new TicketCreatedPublisher(second).publish(ticket('from-second'))).resolves.toBeUndefined();
});

it('rejects publish once the connection is closed', async () => {
  const bus = await connect();
  await bus.close();
  await expect(new TicketCreatedPublisher(bus).publish(ticket('late'))).rejects.toThrow();
});

/** A TCP relay to the NATS server that can stop passing the client's bytes on, as a server stuck mid-restart would. */
const stallableRelay = async () => {
  const target = new URL(process.env.NATS_URL!);
  let stalled = false;
  const sockets: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.push(client, upstream);
    client.on('data', (chunk) => stalled || upstream.write(chunk));
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `nats://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    stall: (on = true) => (stalled = on),
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      server.close();
    },
  };
};

it('fails a publish that gets no ack within publishAckTimeoutMs, instead of waiting 30 s', async () => {
  const relay = await stallableRelay();
  const bus = await NatsStreamingBus.connect({
    clusterId: process.env.NATS_CLUSTER_ID!,
    url: relay.url,
    clientName: 'stalled',
    publishAckTimeoutMs: 500,
    log: () => {},
  });
  try {
    await new TicketCreatedPublisher(bus).publish(ticket('before-stall'));
    relay.stall();
    const startedAt = Date.now();
    await expect(new TicketCreatedPublisher(bus).publish(ticket('stalled'))).rejects.toThrow(/timeout/i);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  } finally {
    relay.stall(false);
    await bus.close();
    relay.close();
  }
});
