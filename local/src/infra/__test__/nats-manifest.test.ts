// Issue 22, items 3 and 5: each NATS server run with its manifest's own nats.conf (extracted from the YAML,
// its `$VARS` from the environment): JetStream's store holds the services' stream, and each service's user
// may publish only what that service publishes.
import { connectEventBus, EventBus, Subjects } from '@ticketing/common';
import { streamCluster, waitUntil } from '@ticketing/common/testing';
import { localNatsConf, manifestNatsConf, natsConfRoutes, natsManifests } from '../nats-config';
import { Server, startNatsJetStream, startNatsJetStreamCluster, startNatsStreaming } from '../servers';

type Transport = 'jetstream' | 'nats-streaming';

const connect = (server: Server, transport: Transport, user: string, env: NodeJS.ProcessEnv = {}) =>
  connectEventBus(`manifest-test-${user}`, {
    EVENT_BUS: transport,
    NATS_URL: server.env[`NATS_URL_${user.toUpperCase()}`],
    NATS_CLUSTER_ID: server.env.NATS_CLUSTER_ID,
    ...env,
  });

const payment = { id: 'p1', orderId: 'o1', stripeId: 'ch_1', sellerId: 's1', amountCents: 1000, currency: 'usd' };

/** The manifest's config alone, without the local user that `npm start` and the suites add. */
const startManifestServer = (transport: Transport, variables?: Record<string, string>) =>
  (transport === 'jetstream' ? startNatsJetStream : startNatsStreaming)({ localUser: false, variables });

describe("the jetstream profile's cluster block, locally", () => {
  const manifest = manifestNatsConf(natsManifests.jetstream);
  const member = { serverName: 'nats-1', clusterPort: 7002, routePorts: [7001, 7002, 7003] };

  it('routes to each local member in the order of the manifest, on loopback, under the member its own name', () => {
    expect(natsConfRoutes(manifest)).toEqual([0, 1, 2].map((i) => `nats://nats-${i}.nats-headless:6222`));
    const local = localNatsConf(manifest, { localUser: true, cluster: member });
    expect(natsConfRoutes(local)).toEqual(['nats://127.0.0.1:7001', 'nats://127.0.0.1:7002', 'nats://127.0.0.1:7003']);
    expect(local).toMatch(/^server_name: nats-1$/m);
    expect(local).toMatch(/^\s+port: 7002\n\s+host: 127\.0\.0\.1$/m);
  });

  it('is left out for a server alone, and refuses a member count the manifest does not route', () => {
    const alone = localNatsConf(manifest, { localUser: true });
    expect(natsConfRoutes(alone)).toEqual([]);
    expect(alone).not.toMatch(/^cluster/m);
    expect(alone).toMatch(/^server_name: ticketing$/m);
    expect(() => localNatsConf(manifest, { localUser: true, cluster: { ...member, routePorts: [7001, 7002] } })).toThrow(
      "nats.conf's cluster names 3 routes: run that many local servers, not 2",
    );
  });

  it('runs three servers that keep the stream at JETSTREAM_REPLICAS, each service connected to all of them', async () => {
    const cluster = await startNatsJetStreamCluster();
    try {
      expect(cluster.env.NATS_URL_ORDERS.split(',')).toHaveLength(3);
      expect(cluster.env.JETSTREAM_REPLICAS).toBe('3');
      await (await connect(cluster, 'jetstream', 'orders', { JETSTREAM_REPLICAS: cluster.env.JETSTREAM_REPLICAS })).close();
      const { leader, replicas, peers } = await streamCluster(cluster.env.NATS_URL);
      expect(replicas).toBe(3);
      expect([leader, ...peers.map((peer) => peer.name)].sort()).toEqual(['nats-0', 'nats-1', 'nats-2']);
    } finally {
      await cluster.stop();
    }
  }, 60_000);
});

describe('the jetstream profile nats.conf on nats-server', () => {
  it('holds the stream with the limits in code, for the first service and those that find it made', async () => {
    const server = await startManifestServer('jetstream');
    try {
      await (await connect(server, 'jetstream', 'orders')).close();
      const others = await Promise.all(['tickets', 'payments', 'live'].map((user) => connect(server, 'jetstream', user)));
      await Promise.all(others.map((bus) => bus.close()));
    } finally {
      await server.stop();
    }
  });

  it('tells the operator which settings to change when the store cannot hold the stream', async () => {
    const server = await startManifestServer('jetstream');
    try {
      await expect(connect(server, 'jetstream', 'orders', { JETSTREAM_MAX_BYTES: String(1024 ** 3) })).rejects.toThrow(
        /cannot reserve 1073741824 bytes \(JETSTREAM_MAX_BYTES\) for stream ticketing: set JETSTREAM_MAX_BYTES below the server's jetstream max_file_store/,
      );
    } finally {
      await server.stop();
    }
  });

  it('refuses a client with a wrong password', async () => {
    const server = await startManifestServer('jetstream');
    try {
      const url = new URL(server.env.NATS_URL_ORDERS);
      url.password = 'wrong';
      await expect(connectEventBus('manifest-test', { EVENT_BUS: 'jetstream', NATS_URL: url.toString() })).rejects.toThrow(
        /Authorization/i,
      );
    } finally {
      await server.stop();
    }
  });

  it('connects with a password that starts with digits, as `openssl rand -hex` makes them', async () => {
    const server = await startManifestServer('jetstream', { NATS_ORDERS_PASSWORD: '67a1b2c3d4' });
    try {
      expect(new URL(server.env.NATS_URL_ORDERS).password).toBe('67a1b2c3d4');
      await (await connect(server, 'jetstream', 'orders')).close();
    } finally {
      await server.stop();
    }
  });
});

/** The streaming server answers a little after its port opens, later still on a busy machine. */
const connectOnceReady = async (server: Server, transport: Transport, user: string): Promise<EventBus> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect(server, transport, user);
    } catch (err) {
      if (attempt === 5) throw err;
    }
  }
};

const refusal: Record<Transport, RegExp> = {
  jetstream: /Permissions Violation for Publish to "payment:created"/,
  // The server drops the message without a word to the client, which gives up waiting for its ack.
  'nats-streaming': /publish ack timeout/,
};

describe.each<Transport>(['jetstream', 'nats-streaming'])('the %s manifest nats.conf', (transport) => {
  it("refuses live's user a payment:created: orders gets only those payments' user publishes", async () => {
    const server = await startManifestServer(transport);
    const buses: EventBus[] = [];
    try {
      const [orders, payments, live] = await Promise.all(
        ['orders', 'payments', 'live'].map((user) => connectOnceReady(server, transport, user)),
      );
      buses.push(orders, payments, live);
      const received: string[] = [];
      orders.subscribe(Subjects.PaymentCreated, { queueGroup: 'orders-service', ackWaitMs: 5_000 }, ({ id }) => {
        received.push(id);
        return Promise.resolve();
      });

      await payments.publish(Subjects.PaymentCreated, { ...payment, id: 'paid' });
      await expect(live.publish(Subjects.PaymentCreated, { ...payment, id: 'forged' })).rejects.toThrow(refusal[transport]);
      await payments.publish(Subjects.PaymentCreated, { ...payment, id: 'paid-later' });

      await waitUntil(() => received.includes('paid-later'), 15_000, 'the second payment at orders');
      expect(received).toEqual(['paid', 'paid-later']);
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
      await server.stop();
    }
  });

  it('lets the events user watch every subject, and publish none', async () => {
    const server = await startManifestServer(transport);
    const buses: EventBus[] = [];
    try {
      const [events, tickets] = await Promise.all(['events', 'tickets'].map((user) => connectOnceReady(server, transport, user)));
      buses.push(events, tickets);
      const seen: string[] = [];
      const watching = events.watch(Object.values(Subjects), (subject) => seen.push(subject));
      await waitUntil(
        async () => {
          await tickets.publish(Subjects.ReservationRejected, { orderId: 'o1', ticket: { id: 't1', price: 10 } });
          return seen.includes(Subjects.ReservationRejected);
        },
        15_000,
        'the watcher to see an event',
      );
      await watching.close();
      await expect(events.publish(Subjects.PaymentCreated, payment)).rejects.toThrow(refusal[transport]);
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
      await server.stop();
    }
  });
});
