import crypto from 'crypto';
import net from 'net';
import { EventBus, InvalidMessageError, Listener, logger, MessageInfo, Publisher, Subjects, TicketCreatedEvent } from '../..';
import { sleep, ticketCreatedData, waitUntil } from '../../testing';
import { ownBroker, transports } from './transports';

// The same behaviour, exchanged through real servers, on each transport: nats-streaming-server (NATS_URL)
// and nats-server with JetStream (JETSTREAM_URL), which jest's global setup started.
// Every listener receives the whole channel (deliver-all), so each test tells its own messages
// apart by a title prefix of its own, and passes run alone or after the others.

class TicketCreatedPublisher extends Publisher<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;
}

type Received = { data: TicketCreatedEvent['data']; info: MessageInfo };

/** Records the messages whose title starts with `prefix`; acks the others unseen. */
class RecordingTicketListener extends Listener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;
  readonly received: Received[] = [];
  /** Titles whose first delivery the handler fails. */
  readonly failOnce = new Set<string>();
  /** Titles the handler finds invalid every time, as a message naming a record that does not exist. */
  readonly failAlways = new Set<string>();
  /** Titles the handler fails while they are here, as while its database is down. */
  readonly failWhileDown = new Set<string>();
  /** Titles whose first delivery the handler takes `slowMs` to handle, past the ack wait. */
  readonly slowOnce = new Set<string>();
  slowMs = 0;

  constructor(
    bus: EventBus,
    private readonly prefix: string,
    protected override ackWaitMs = 1_000,
  ) {
    super(bus);
  }

  onMessage(data: TicketCreatedEvent['data'], info: MessageInfo): Promise<void> {
    if (!data.title.startsWith(this.prefix)) return Promise.resolve();
    this.received.push({ data, info });
    if (this.failAlways.has(data.title)) return Promise.reject(new InvalidMessageError(`unknown record ${data.id}`));
    if (this.failOnce.delete(data.title) || this.failWhileDown.has(data.title)) return Promise.reject(new Error('handler failed'));
    if (this.slowOnce.delete(data.title)) return new Promise((resolve) => setTimeout(resolve, this.slowMs));
    return Promise.resolve();
  }

  titles() {
    return this.received.map((r) => r.data.title);
  }
}

const ticket = (title: string) => ticketCreatedData({ id: title, title, price: 10.5, userId: 'u1' });

/** A prefix, and a queue group, no other test run uses. */
const unique = (name: string) => `${name}-${crypto.randomBytes(4).toString('hex')}`;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const waitFor = (condition: () => boolean, what: string) => waitUntil(condition, 10_000, what);

/** A TCP relay to the NATS server that can stop passing the client's bytes on, as a server stuck mid-restart would. */
const stallableRelay = async (url: string) => {
  const target = new URL(url);
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
  const relayed = new URL(url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String((server.address() as net.AddressInfo).port);
  return {
    // With the server's credentials, if it demands them.
    url: relayed.toString(),
    stall: (on = true) => (stalled = on),
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      server.close();
    },
  };
};

/** Publishes numbered probes until every listener has one: a new subscription's start is not acknowledged. */
const probeUntilReceived = async (publisher: TicketCreatedPublisher, prefix: string, listeners: RecordingTicketListener[]) => {
  for (let i = 0; i < 100 && !listeners.every((l) => l.titles().some((t) => t.startsWith(`${prefix}-probe`))); i++) {
    await publisher.publish(ticket(`${prefix}-probe-${i}`));
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** Publishes until the server takes it: what the outbox relay does while the server is away. */
const publishUntilStored = async (publisher: TicketCreatedPublisher, data: TicketCreatedEvent['data']) => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await publisher.publish(data);
    } catch (err) {
      if (attempt >= 60) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
};

describe.each(transports)('on $kind', (transport) => {
  let buses: EventBus[] = [];
  const open = async (clientName?: string) => {
    const bus = await transport.connect({ clientName });
    buses.push(bus);
    return bus;
  };

  afterEach(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    buses = [];
  });

  it('delivers a typed event from a Publisher to a Listener, in order', async () => {
    const bus = await open();
    const prefix = unique('order');
    const listener = new RecordingTicketListener(bus, prefix);
    listener.listen(unique('group'));

    const publisher = new TicketCreatedPublisher(bus);
    await publisher.publish(ticket(`${prefix}-first`));
    await publisher.publish(ticket(`${prefix}-second`));

    await waitFor(() => listener.received.length === 2, 'both messages');
    expect(listener.received.map((r) => r.data)).toEqual([ticket(`${prefix}-first`), ticket(`${prefix}-second`)]);
    expect(listener.received[0].info.redelivered).toBe(false);
  });

  it('redelivers a message whose handler threw, and stops once it is acked', async () => {
    const bus = await open();
    const prefix = unique('retry');
    const listener = new RecordingTicketListener(bus, prefix);
    listener.failOnce.add(`${prefix}-me`);
    listener.listen(unique('group'));

    await new TicketCreatedPublisher(bus).publish(ticket(`${prefix}-me`));

    await waitFor(() => listener.received.length === 2, 'the redelivery');
    expect(listener.received.map((r) => r.info.redelivered)).toEqual([false, true]);
    // Acked the second time: nothing more arrives after another ack wait.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(listener.received).toHaveLength(2);
  });

  it('lets a durable queue group resume where it stopped, and delivers everything on first start', async () => {
    const group = unique('durable');
    const prefix = unique('resume');
    const publisher = new TicketCreatedPublisher(await open('publisher'));
    await publisher.publish(ticket(`${prefix}-before-first-start`));

    const first = new RecordingTicketListener(await open('replica'), prefix);
    const subscription = first.listen(group);
    await waitFor(() => first.titles().includes(`${prefix}-before-first-start`), 'the message sent before the first start');
    await subscription.close();

    await publisher.publish(ticket(`${prefix}-while-down`));
    const second = new RecordingTicketListener(await open('replica'), prefix);
    second.listen(group);

    await waitFor(() => second.titles().includes(`${prefix}-while-down`), 'the message sent while down');
    expect(second.titles()).toEqual([`${prefix}-while-down`]);
  });

  it('shares one queue group between two replicas: each message handled once', async () => {
    const group = unique('shared');
    const prefix = unique('shared');
    // A long ack wait: a redelivery (at-least-once) would otherwise look like a double hand-out.
    const a = new RecordingTicketListener(await open('replica'), prefix, 30_000);
    const b = new RecordingTicketListener(await open('replica'), prefix, 30_000);
    a.listen(group);
    b.listen(group);
    const publisher = new TicketCreatedPublisher(await open());
    for (let i = 0; i < 20; i++) await publisher.publish(ticket(`${prefix}-${i}`));

    const titles = () => [...a.titles(), ...b.titles()];
    await waitFor(() => titles().length >= 20, 'all 20 messages');
    await new Promise((r) => setTimeout(r, 300));
    expect(titles()).toHaveLength(20);
    expect(new Set(titles()).size).toBe(20);
  });

  it('parks poison messages after maxDeliveries, so that 20 of them do not stop the message behind them', async () => {
    jest.spyOn(logger, 'error').mockImplementation(() => {});
    const bus = await open();
    const prefix = unique('poison');
    const parked: string[] = [];
    bus.watch([Subjects.DeadLetter], (_subject, letter) => {
      const { data, deliveries } = letter as { data: TicketCreatedEvent['data']; deliveries: number };
      if (data.title.startsWith(prefix)) parked.push(`${data.title} after ${deliveries}`);
    });
    const listener = new RecordingTicketListener(bus, prefix);
    const poison = range(20).map((i) => `${prefix}-poison-${i}`);
    poison.forEach((title) => listener.failAlways.add(title));
    listener.listen(unique('group'), { maxDeliveries: 2 });

    const publisher = new TicketCreatedPublisher(bus);
    for (const title of poison) await publisher.publish(ticket(title));
    await publisher.publish(ticket(`${prefix}-valid`));

    await waitFor(() => listener.titles().includes(`${prefix}-valid`), 'the valid message behind the poison');
    await waitFor(() => parked.length === 20, 'all 20 poison messages to be parked');
    expect(parked.sort()).toEqual(poison.map((title) => `${title} after 2`).sort());
    jest.restoreAllMocks();
  });

  it('never parks a message whose handler fails for another reason than its verdict: it is handled once the failure ends', async () => {
    jest.spyOn(logger, 'error').mockImplementation(() => {});
    const bus = await open();
    const prefix = unique('outage');
    const parked: string[] = [];
    bus.watch([Subjects.DeadLetter], (_subject, letter) => {
      const { data } = letter as { data: TicketCreatedEvent['data'] };
      if (data.title.startsWith(prefix)) parked.push(data.title);
    });
    const listener = new RecordingTicketListener(bus, prefix);
    const title = `${prefix}-during-outage`;
    listener.failWhileDown.add(title);
    listener.listen(unique('group'), { maxDeliveries: 2 });

    await new TicketCreatedPublisher(bus).publish(ticket(title));
    await waitUntil(() => listener.titles().length >= 4, 20_000, 'twice maxDeliveries failed deliveries');
    listener.failWhileDown.delete(title);
    await waitUntil(() => listener.received.some(({ info }) => info.deliveries >= 5), 30_000, 'the delivery after the outage');

    await sleep(1_500);
    expect(parked).toEqual([]);
    expect(listener.received.length).toBeGreaterThanOrEqual(5);
    jest.restoreAllMocks();
  }, 60_000);

  it('gives every connection a unique client id, so a restarted process does not clash', async () => {
    // With a fixed id the second connect would fail with "clientID already registered".
    const first = await open('same-name');
    const second = await open('same-name');
    await expect(new TicketCreatedPublisher(first).publish(ticket('from-first'))).resolves.toBeUndefined();
    await expect(new TicketCreatedPublisher(second).publish(ticket('from-second'))).resolves.toBeUndefined();
  });

  it('rejects publish once the connection is closed', async () => {
    const bus = await transport.connect();
    await bus.close();
    await expect(new TicketCreatedPublisher(bus).publish(ticket('late'))).rejects.toThrow();
  });

  it('fails a publish that gets no ack within publishAckTimeoutMs, instead of waiting 30 s', async () => {
    const relay = await stallableRelay(transport.url());
    const bus = await transport.connect({ url: relay.url, clientName: 'stalled', publishAckTimeoutMs: 500 });
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

  it('broadcasts: two replicas in the same group each receive every message, and only those after they subscribed', async () => {
    const group = unique('broadcast');
    const prefix = unique('broadcast');
    const publisher = new TicketCreatedPublisher(await open('publisher'));
    await publisher.publish(ticket(`${prefix}-before`));
    const a = new RecordingTicketListener(await open('replica'), prefix, 30_000);
    const b = new RecordingTicketListener(await open('replica'), prefix, 30_000);
    a.listen(group, { broadcast: {} });
    b.listen(group, { broadcast: {} });

    await probeUntilReceived(publisher, prefix, [a, b]);
    for (let i = 0; i < 10; i++) await publisher.publish(ticket(`${prefix}-${i}`));

    const numbered = (l: RecordingTicketListener) => l.titles().filter((t) => /-\d+$/.test(t) && !t.includes('probe'));
    await waitFor(() => numbered(a).length === 10 && numbered(b).length === 10, 'all 10 messages in each replica');
    expect(numbered(a)).toEqual(numbered(b));
    expect([...a.titles(), ...b.titles()]).not.toContain(`${prefix}-before`);
  });

  it('replays a broadcast subscription `replayMs` back, with the time each message was stored', async () => {
    const prefix = unique('replay');
    const publisher = new TicketCreatedPublisher(await open('publisher'));
    await publisher.publish(ticket(`${prefix}-before`));
    const subscribedAt = Date.now();
    const listener = new RecordingTicketListener(await open('replica'), prefix, 30_000);
    listener.listen(unique('group'), { broadcast: { replayMs: 60_000 } });

    await waitFor(() => listener.titles().includes(`${prefix}-before`), 'the message published before subscribing');
    const { publishedAt } = listener.received[0].info;
    expect(publishedAt).toBeLessThanOrEqual(subscribedAt);
    expect(publishedAt).toBeGreaterThan(subscribedAt - 10_000);
  });

  it('redelivers a message not acked within the ack wait (a handler still busy), marked as redelivered', async () => {
    const bus = await open();
    const prefix = unique('slow');
    const listener = new RecordingTicketListener(bus, prefix, 1_000);
    listener.slowOnce.add(`${prefix}-me`);
    listener.slowMs = 4_000;
    listener.listen(unique('group'));

    await new TicketCreatedPublisher(bus).publish(ticket(`${prefix}-me`));

    await waitFor(() => listener.received.length >= 2, 'the redelivery after the ack wait');
    expect(listener.received.slice(0, 2).map((r) => [r.info.redelivered, r.info.deliveries])).toEqual([
      [false, 1],
      [true, 2],
    ]);
  });

  it(`${transport.dedupes ? 'stores' : 'cannot dedupe, and stores twice,'} a message published twice with the same msgId`, async () => {
    const bus = await open();
    const prefix = unique('dedupe');
    const listener = new RecordingTicketListener(bus, prefix);
    listener.listen(unique('group'));
    const msgId = crypto.randomUUID();

    await bus.publish(Subjects.TicketCreated, ticket(`${prefix}-twice`), { msgId });
    await bus.publish(Subjects.TicketCreated, ticket(`${prefix}-twice`), { msgId });
    await bus.publish(Subjects.TicketCreated, ticket(`${prefix}-after`), { msgId: crypto.randomUUID() });

    // The stream keeps the order of publishing: once the last message is in, a duplicate would be too.
    await waitFor(() => listener.titles().includes(`${prefix}-after`), 'the message published after the repeat');
    expect(listener.titles()).toEqual([...Array<string>(transport.dedupes ? 1 : 2).fill(`${prefix}-twice`), `${prefix}-after`]);
  });

  it('replays a broadcast subscription no further back than `replayMs`', async () => {
    const prefix = unique('window');
    const publisher = new TicketCreatedPublisher(await open('publisher'));
    await publisher.publish(ticket(`${prefix}-too-old`));
    await new Promise((r) => setTimeout(r, 6_000));
    await publisher.publish(ticket(`${prefix}-recent`));
    const listener = new RecordingTicketListener(await open('replica'), prefix, 30_000);
    listener.listen(unique('group'), { broadcast: { replayMs: 4_000 } });

    await probeUntilReceived(publisher, prefix, [listener]);
    expect(listener.titles().filter((title) => !title.includes('probe'))).toEqual([`${prefix}-recent`]);
  }, 30_000);

  it('reconnects after the server restarts: the durable queue group and a watcher get what was published after the restart', async () => {
    const broker = await ownBroker(transport);
    try {
      const bus = await transport.connect({ url: broker.url, clientName: 'restart' });
      buses.push(bus);
      const prefix = unique('restart');
      const listener = new RecordingTicketListener(bus, prefix);
      listener.listen(unique('group'));
      const publisher = new TicketCreatedPublisher(bus);
      const watched: string[] = [];
      // As `npm start -- --events` watches: every subject, on a connection of its own.
      const watcher = await transport.connect({ url: broker.url, clientName: 'watcher' });
      buses.push(watcher);
      watcher.watch(Object.values(Subjects), (_subject, data) => watched.push((data as TicketCreatedEvent['data']).title));
      // A watcher starts at the next message, once it is set up: probe until it sees one.
      for (let i = 0; i < 100 && watched.length === 0; i++) {
        await publisher.publish(ticket(`${prefix}-probe-${i}`));
        await new Promise((r) => setTimeout(r, 50));
      }
      await publisher.publish(ticket(`${prefix}-before`));
      await waitFor(() => listener.titles().includes(`${prefix}-before`), 'the message before the restart');
      // Past the 1 s ack wait, so that the ack is stored (or, on a slow machine, the redelivery already counted).
      await new Promise((r) => setTimeout(r, 2_500));
      const beforeRestart = listener.titles().length;

      await broker.restart();
      await publishUntilStored(publisher, ticket(`${prefix}-after`));

      await waitUntil(() => listener.titles().includes(`${prefix}-after`), 30_000, 'the message after the restart');
      await waitUntil(() => watched.includes(`${prefix}-after`), 30_000, 'the watcher to see the message after the restart');
      // The durable group resumes after its last ack: nothing handled before the restart comes again.
      // (A publish that timed out in the restart and was retried may have stored `after` twice.)
      expect(
        listener
          .titles()
          .slice(beforeRestart)
          .filter((title) => title !== `${prefix}-after`),
      ).toEqual([]);
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
      buses = [];
      await broker.stop();
    }
  }, 60_000);
});
