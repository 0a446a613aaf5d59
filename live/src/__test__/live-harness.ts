import http from 'http';
import type { AddressInfo } from 'net';
import type { LiveMessage } from '@ticketing/common/api';
import { connectTestSocket, RecordingBus, TestSocket as SharedTestSocket, waitUntil } from '@ticketing/common/testing';
import type { LiveConfig } from '../config';
import { buildListeners } from '../events/listeners';
import { OrderOwners } from '../events/order-owners';
import { LiveHub } from '../socket/hub';
import { LIVE_PATH, LiveServer } from '../socket/live-server';

const testConfig: LiveConfig = {
  maxSocketsPerUser: 5,
  maxSockets: 100,
  maxAnonymousSocketsPerAddress: 100,
  trustProxy: 1,
  maxBufferedBytes: 64 * 1024,
  maxPayloadBytes: 1024,
  pingIntervalMs: 60_000,
  orderRouteMs: 60 * 60_000,
};

/** The live service's parts on a real HTTP server, fed by a RecordingBus, as runService would wire them. */
export const startLive = async (overrides: Partial<LiveConfig> = {}) => {
  const config = { ...testConfig, ...overrides };
  const bus = new RecordingBus();
  const hub = new LiveHub(config);
  const server = new LiveServer(hub, config);
  const context = { hub, owners: new OrderOwners(config.orderRouteMs), startedAt: Date.now() };
  for (const listener of buildListeners(bus, context)) listener.listen('live-service', { broadcast: {} });
  const http_ = http.createServer((_req, res) => res.writeHead(426).end());
  http_.on('upgrade', (req: http.IncomingMessage, socket, head: Buffer) => server.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => http_.listen(0, '127.0.0.1', resolve));
  server.start();
  const url = `ws://127.0.0.1:${(http_.address() as AddressInfo).port}${LIVE_PATH}`;
  const close = async () => {
    await server.close();
    http_.closeAllConnections();
    await new Promise((resolve) => http_.close(resolve));
  };
  return { url, bus, hub, context, close };
};

export type TestSocket = SharedTestSocket<LiveMessage>;

/** A real client socket that records what it is sent; `cookie` signs it in, `forwardedFor` is what a gateway added. */
export const connect = (
  url: string,
  { cookie, origin, forwardedFor }: { cookie?: string; origin?: string; forwardedFor?: string } = {},
): Promise<TestSocket> => {
  const headers: Record<string, string> = {};
  if (cookie) headers.Cookie = cookie;
  if (origin) headers.Origin = origin;
  if (forwardedFor) headers['X-Forwarded-For'] = forwardedFor;
  return connectTestSocket<LiveMessage>(url, headers);
};

export const typesOf = (client: TestSocket) => client.messages.map((message) => message.type);

export const waitForMessages = (client: TestSocket, count: number, what = `${count} messages`) =>
  waitUntil(() => client.messages.length >= count, 5_000, what);
