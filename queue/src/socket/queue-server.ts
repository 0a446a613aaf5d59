import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import type { QueueStatus, QueueStatusMessage } from '@ticketing/common/api';
import {
  refuseUpgrade,
  requestPath,
  sameOrigin,
  SocketHub,
  SocketServer,
  TOO_MANY_SOCKETS,
  userOfCookie,
  type UpgradeHandler,
  type Worker,
} from '@ticketing/common';
import type { Redis } from 'ioredis';
import type { QueueConfig } from '../config';
import type { QueueStatuses } from '../services/queue-status';
import { WaitingRoom } from '../services/waiting-room';
import { keyOf, StatusPushes, type Waiter } from './status-pushes';
import { UserSockets } from './user-sockets';

/** GET /api/queue/:ticketId/ws, the listing id an ObjectId. */
export const SOCKET_PATH = '/api/queue/:ticketId/ws';
const SOCKET_PATH_PATTERN = /^\/api\/queue\/([0-9a-f]{24})\/ws$/i;
const MAX_BUFFERED_BYTES = 16 * 1024;
const TOO_MANY_REASON = 'too many queue sockets for this user';

export interface QueueServerDeps {
  room: WaitingRoom;
  statuses: QueueStatuses;
  /** The connection that counts each user's sockets across listings and processes. */
  commands: Redis;
  /** The connection subscribed to the waiting rooms' change channel. */
  subscriber: Redis;
  channel: string;
}

/**
 * Upgrades GET /api/queue/:ticketId/ws for a signed-in user, then pushes the user's status: at once, every
 * `pushIntervalMs` (every `backOfLineEvery` of them beyond the first `frontOfLine` places; see StatusPushes),
 * and as soon as any replica publishes a change for the user (an admission, its end) or their listing (sold out).
 */
export class QueueServer implements UpgradeHandler, Worker {
  private readonly hub: SocketHub<Waiter>;
  private readonly sockets: SocketServer<Waiter>;
  private readonly pushes: StatusPushes;
  private readonly userSockets: UserSockets;
  private pushTimer?: NodeJS.Timeout;
  private pushing = false;

  constructor(
    private readonly deps: QueueServerDeps,
    private readonly config: Pick<
      QueueConfig,
      | 'maxPayloadBytes'
      | 'pingIntervalMs'
      | 'pushIntervalMs'
      | 'maxSockets'
      | 'maxSocketsPerUser'
      | 'frontOfLine'
      | 'backOfLineEvery'
      | 'socketLeaseMs'
      | 'keyPrefix'
    >,
  ) {
    this.hub = new SocketHub<Waiter>({ ...config, maxBufferedBytes: MAX_BUFFERED_BYTES }, keyOf);
    this.sockets = new SocketServer(this.hub, { ...config, tooManyReason: TOO_MANY_REASON });
    this.pushes = new StatusPushes(deps.room, deps.statuses, config, (waiter, status) => this.send(waiter, status));
    this.userSockets = new UserSockets(deps.commands, { ...config, leaseMs: config.socketLeaseMs });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = requestPath(req);
    if (path === undefined) return refuseUpgrade(socket, 400, 'Bad Request');
    const ticketId = SOCKET_PATH_PATTERN.exec(path)?.[1];
    if (!ticketId) return refuseUpgrade(socket, 404, 'Not Found');
    if (!sameOrigin(req)) return refuseUpgrade(socket, 403, 'Forbidden');
    const user = userOfCookie(req.headers.cookie);
    if (!user) return refuseUpgrade(socket, 401, 'Unauthorized');
    const waiter = { ticketId, userId: user.id };
    this.admit(req, socket, head, waiter).catch(() => refuseUpgrade(socket, 503, 'Service Unavailable'));
  }

  /** Upgrades a known waiter's socket if the user may hold one more, across every listing and process. */
  private async admit(req: IncomingMessage, socket: Duplex, head: Buffer, waiter: Waiter): Promise<void> {
    const read = await this.deps.statuses.read(waiter.ticketId, waiter.userId);
    if (!read) return refuseUpgrade(socket, 404, 'Not Found');
    const lease = await this.userSockets.claim(waiter.userId);
    if (!lease) return this.sockets.refuse(req, socket, head, TOO_MANY_SOCKETS, TOO_MANY_REASON);
    this.sockets.accept(req, socket, head, {
      group: waiter,
      onUpgraded: (ws) => {
        this.userSockets.keep(waiter.userId, lease);
        ws.once('close', () => this.userSockets.release(waiter.userId, lease));
      },
      onAccepted: () => this.pushes.adopt(waiter, read),
    });
  }

  async start(): Promise<void> {
    this.deps.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.deps.channel) this.onChange(message);
    });
    await this.deps.subscriber.subscribe(this.deps.channel);
    this.pushTimer = setInterval(() => void this.pushAll(), this.config.pushIntervalMs);
    this.pushTimer.unref();
    this.sockets.startHeartbeat();
    this.userSockets.start();
  }

  stop(): Promise<void> {
    return this.close();
  }

  close(): Promise<void> {
    clearInterval(this.pushTimer);
    this.userSockets.stop();
    return this.sockets.close();
  }

  private onChange(message: string): void {
    const change = WaitingRoom.parseChange(message);
    if (!change) return;
    if (change.everyone) {
      const waiters = this.hub.owners().filter((waiter) => waiter.ticketId === change.ticketId);
      return void this.pushes.pushListing(change.ticketId, waiters);
    }
    for (const userId of change.userIds) {
      const waiter = { ticketId: change.ticketId, userId };
      if (this.hub.has(waiter)) void this.pushes.refresh(waiter);
    }
  }

  /** A push cycle: one command per listing, however many wait (see StatusPushes). */
  private async pushAll(): Promise<void> {
    if (this.pushing) return;
    this.pushing = true;
    try {
      await this.pushes.cycle(this.hub.owners());
    } finally {
      this.pushing = false;
    }
  }

  private send(waiter: Waiter, status: QueueStatus): void {
    const message: QueueStatusMessage = { type: 'queue:status', data: status };
    this.hub.publishTo(waiter, message);
  }
}
