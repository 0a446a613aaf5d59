import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import type { EventBus, EventBusKind } from '../..';
import { freePort, waitUntil } from '../../testing';
import { JetStreamBus } from '../jetstream-bus';
import { NatsStreamingBus } from '../nats-streaming-bus';

// The two transports the bus suite runs on, each against the server jest's global setup started
// (NATS_URL: nats-streaming-server, JETSTREAM_URL: nats-server -js), or one of a test's own.

interface ConnectOptions {
  url?: string;
  clientName?: string;
  publishAckTimeoutMs?: number;
}

export interface Transport {
  kind: EventBusKind;
  url(): string;
  connect(options?: ConnectOptions): Promise<EventBus>;
  /** Whether a second message with the same msgId is dropped. */
  dedupes: boolean;
  /** The server binary and its arguments, to run one of the test's own (restarts). */
  server: { binary: string; args(port: number, dir: string): string[] };
}

const toolsBin = process.env.TICKETING_TOOLS_BIN ?? path.resolve(__dirname, '../../../../.tools/bin');

export const transports: Transport[] = [
  {
    kind: 'nats-streaming',
    url: () => process.env.NATS_URL!,
    connect: ({ url = process.env.NATS_URL!, clientName = 'common-test', publishAckTimeoutMs } = {}) =>
      NatsStreamingBus.connect({ clusterId: process.env.NATS_CLUSTER_ID!, url, clientName, publishAckTimeoutMs, log: () => {} }),
    dedupes: false,
    server: {
      binary: 'nats-streaming-server',
      args: (port, dir) => [
        ...['-a', '127.0.0.1', '-p', String(port), '-cid', process.env.NATS_CLUSTER_ID!],
        ...['-store', 'file', '-dir', dir, '-hbi', '2s', '-hbt', '2s', '-hbf', '3'],
      ],
    },
  },
  {
    kind: 'jetstream',
    url: () => process.env.JETSTREAM_URL!,
    connect: ({ url = process.env.JETSTREAM_URL!, clientName = 'common-test', publishAckTimeoutMs } = {}) =>
      JetStreamBus.connect({ url, clientName, publishAckTimeoutMs, log: () => {} }),
    dedupes: true,
    server: { binary: 'nats-server', args: (port, dir) => ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir] },
  },
];

/** A broker of the test's own, on a free port with a file store, that the test can restart. */
export const ownBroker = async (transport: Transport) => {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ticketing-bus-test-${transport.kind}-`));
  const binary = path.join(toolsBin, transport.server.binary);
  let child: ChildProcess;
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  const start = async () => {
    child = spawn(binary, transport.server.args(port, dir), { stdio: 'ignore' });
    await waitUntil(listening, 20_000, `${transport.server.binary} to listen`);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    restart: async () => {
      await stop();
      await start();
    },
    stop: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};
