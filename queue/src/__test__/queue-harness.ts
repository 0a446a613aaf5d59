import crypto from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';
import type { QueueStatusMessage } from '@ticketing/common/api';
import { redisFromEnv } from '@ticketing/common';
import { connectTestSocket, RecordingBus, TestSocket as SharedTestSocket, waitUntil } from '@ticketing/common/testing';
import { buildApp } from '../app';
import { defaultQueueConfig, type QueueConfig } from '../config';
import { buildListeners } from '../events/listeners';
import { AdmissionRounds } from '../services/admission-rounds';
import { QueueStatuses } from '../services/queue-status';
import { RedisConnection } from '../services/redis-connection';
import { WaitingRoom } from '../services/waiting-room';
import { QueueServer } from '../socket/queue-server';

/** A listing id (an ObjectId's 24 hex digits). */
export const newTicketId = () => crypto.randomBytes(12).toString('hex');

/** Key prefixes unique to a test, so tests share the suite's real Redis without seeing each other's rooms. */
export const testPrefix = () => `test-${crypto.randomBytes(4).toString('hex')}:`;

export type Replica = Awaited<ReturnType<typeof startReplica>>;

/**
 * One queue replica as runService wires it, on the suite's real Redis: its own connections, rounds (started
 * only with `rounds: true`), socket server on a real HTTP server, and listeners on a RecordingBus.
 */
export const startReplica = async (overrides: Partial<QueueConfig> & { rounds?: boolean } = {}) => {
  const { rounds: runRounds = false, ...settings } = overrides;
  const config: QueueConfig = { ...defaultQueueConfig, pushIntervalMs: 200, admitIntervalMs: 50, keyPrefix: testPrefix(), ...settings };
  const redis = new RedisConnection(redisFromEnv());
  await redis.start();
  const room = new WaitingRoom(redis.commands, config);
  const statuses = new QueueStatuses(room, config.admissionMs);
  const rounds = new AdmissionRounds(room, config.admitIntervalMs);
  if (runRounds) rounds.start();
  const server = new QueueServer({ room, statuses, commands: redis.commands, subscriber: redis.subscriber, channel: room.channel }, config);
  await server.start();
  const app = buildApp({ room, statuses, rounds }, () => redis.isReady());
  const bus = new RecordingBus();
  for (const listener of buildListeners(bus, { room, rounds })) listener.listen('queue-service', {});
  const httpServer = http.createServer(app);
  httpServer.on('upgrade', (req: http.IncomingMessage, socket, head: Buffer) => server.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const origin = `127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const close = async () => {
    await rounds.stop();
    await server.close();
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(resolve));
    await redis.stop();
  };
  return { config, redis, room, statuses, rounds, server, app, bus, origin, close };
};

/** A ticket:created with a waiting room, as tickets publishes it. */
export const listing = (
  ticketId: string,
  activeBuyers: number,
  extra: { version?: number; onSaleAt?: string | null; available?: number } = {},
) => ({
  id: ticketId,
  version: extra.version ?? 0,
  title: 'Hot show',
  price: 50,
  userId: 'seller',
  quantity: 300,
  available: extra.available ?? 300,
  onSaleAt: extra.onSaleAt ?? null,
  waitingRoom: { activeBuyers },
  limitPerBuyer: 4,
});

export type TestSocket = SharedTestSocket<QueueStatusMessage>;

/** A real client socket on a replica that records what it is sent. */
export const connect = (origin: string, ticketId: string, headers: Record<string, string> = {}): Promise<TestSocket> =>
  connectTestSocket<QueueStatusMessage>(`ws://${origin}/api/queue/${ticketId}/ws`, headers);

export const lastStatus = (client: TestSocket) => client.messages.at(-1)?.data;

export const waitForStatus = (client: TestSocket, check: (status: QueueStatusMessage['data']) => boolean, what: string) =>
  waitUntil(() => client.messages.some((message) => check(message.data)), 10_000, what);
