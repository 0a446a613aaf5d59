import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { connectEventBus, Subjects } from '@ticketing/common';
import { waitUntil } from '@ticketing/common/testing';
import { freePort, startProcess, startRedis, waitForPort } from '../..';
import { startInfra } from '../start-infra';

const isListening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

it('uses a server named in the environment instead of starting one', async () => {
  const lines: string[] = [];
  const infra = await startInfra(['mongo', 'redis'], {
    env: { MONGO_URI: 'mongodb://elsewhere:27017', REDIS_HOST: 'redis.elsewhere' },
    progress: (line) => lines.push(line),
  });
  expect(infra.servers).toEqual({});
  expect(infra.env).toEqual({});
  expect(lines).toEqual(['mongo: using mongodb://elsewhere:27017 from MONGO_URI', 'redis: using redis.elsewhere from REDIS_HOST']);
});

it('starts a server on a free loopback port, reports it, and frees the port on stop', async () => {
  const lines: string[] = [];
  const infra = await startInfra(['redis'], { env: {}, progress: (line) => lines.push(line) });
  const port = Number(infra.env.REDIS_PORT);
  expect(infra.env.REDIS_HOST).toBe('127.0.0.1');
  expect(await isListening(port)).toBe(true);
  expect(lines).toEqual(['redis: starting', `redis: redis-server ready (REDIS_HOST=127.0.0.1 REDIS_PORT=${port})`]);

  await infra.stop();
  expect(await isListening(port)).toBe(false);
});

it('names the process and shows its last output when it exits before listening', async () => {
  const port = await freePort();
  await expect(startProcess('broken', process.execPath, ['-e', 'console.error("cannot bind"); process.exit(3)'], { port })).rejects.toThrow(
    /broken did not start: exited with code 3 before listening\n.*cannot bind/s,
  );
});

it('gives up waiting for a port after the timeout', async () => {
  const port = await freePort();
  await expect(waitForPort(port, 300)).rejects.toThrow(`nothing listened on 127.0.0.1:${port} within 300 ms`);
});

it('starts two servers of one kind side by side', async () => {
  const [a, b] = await Promise.all([startRedis(), startRedis()]);
  try {
    expect(a.env.REDIS_PORT).not.toEqual(b.env.REDIS_PORT);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

it('starts nats-server with JetStream as the broker for EVENT_BUS=jetstream, its store in the data folder, kept across a restart', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketing-infra-test-'));
  const infra = await startInfra(['nats'], { env: {}, eventBus: 'jetstream', dataDir });
  try {
    expect(infra.servers.nats?.name).toBe('nats-server');
    // The local user's URL, and each service's own user's, for local/src/system to hand to that service.
    expect(infra.env).toMatchObject({ NATS_URL: expect.stringMatching(/^nats:\/\/local:\w+@127\.0\.0\.1:\d+$/), EVENT_BUS: 'jetstream' });
    expect(infra.env.NATS_URL_LIVE).toMatch(/^nats:\/\/live:\w+@127\.0\.0\.1:\d+$/);
    const bus = await connectEventBus('infra-test', infra.env);
    await bus.publish(Subjects.ExpirationComplete, { orderId: 'kept' });
    await bus.close();
    expect(fs.existsSync(path.join(dataDir, 'jetstream', 'jetstream'))).toBe(true);

    await infra.servers.nats!.restart();
    const watcher = await connectEventBus('infra-test', infra.env);
    const seen: unknown[] = [];
    // A durable group starts at the stream's first message: the one stored before the restart.
    const subscription = watcher.subscribe(Subjects.ExpirationComplete, { queueGroup: 'infra-test', ackWaitMs: 5_000 }, (data) => {
      seen.push(data);
      return Promise.resolve();
    });
    await waitUntil(() => seen.length > 0, 10_000, 'the message stored before the restart');
    expect(seen).toEqual([{ orderId: 'kept' }]);
    await subscription.close();
    await watcher.close();
  } finally {
    await infra.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

it("takes the broker from the environment's EVENT_BUS when not told", async () => {
  const infra = await startInfra(['nats'], { env: { EVENT_BUS: 'jetstream' } });
  try {
    expect(infra.servers.nats?.name).toBe('nats-server');
    expect(infra.env.EVENT_BUS).toBe('jetstream');
  } finally {
    await infra.stop();
  }
});
