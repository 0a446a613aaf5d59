import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import type { TooManySocketsCloseCode } from '@ticketing/common/api';
import { refuseUpgrade, requestPath, sameOrigin, userOfCookie, type UpgradeHandler, type Worker } from '@ticketing/common';
import type { Redis } from 'ioredis';
import WebSocket, { WebSocketServer } from 'ws';
import type { QueueConfig } from '../config';
import type { QueueStatuses } from '../services/queue-status';
import { WaitingRoom } from '../services/waiting-room';
import { QueueSockets, type Waiter } from './queue-sockets';

/** GET /api/queue/:ticketId/ws, the listing id an ObjectId. */
const SOCKET_PATH = /^\/api\/queue\/([0-9a-f]{24})\/ws$/i;
export const TOO_MANY_SOCKETS: TooManySocketsCloseCode = 4008;
const FULL = 1013;
const GOING_AWAY = 1001;
const MAX_BUFFERED_BYTES = 16 * 1024;

export interface QueueServerParts {
  statuses: QueueStatuses;
  /** The connection subscribed to the waiting rooms' change channel. */
  subscriber: Redis;
  channel: string;
}

/**
 * Upgrades GET /api/queue/:ticketId/ws for a signed-in user, then pushes the user's status: at once, every
 * `pushIntervalMs`, and as soon as any replica publishes a change for the user (an admission, its end).
 */
export class QueueServer implements UpgradeHandler, Worker {
  readonly sockets: QueueSockets;
  private readonly wss: WebSocketServer;
  private timers: NodeJS.Timeout[] = [];
  private pushing = false;

  constructor(
    private readonly parts: QueueServerParts,
    private readonly config: Pick<
      QueueConfig,
      'maxPayloadBytes' | 'pingIntervalMs' | 'pushIntervalMs' | 'maxSockets' | 'maxSocketsPerUser'
    >,
  ) {
    this.sockets = new QueueSockets({ ...config, maxBufferedBytes: MAX_BUFFERED_BYTES });
    // No compression: zlib's context costs hundreds of KB per socket, far more than the messages save.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: config.maxPayloadBytes, perMessageDeflate: false, clientTracking: false });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = requestPath(req);
    if (path === undefined) return refuseUpgrade(socket, 400, 'Bad Request');
    const ticketId = SOCKET_PATH.exec(path)?.[1];
    if (!ticketId) return refuseUpgrade(socket, 404, 'Not Found');
    if (!sameOrigin(req)) return refuseUpgrade(socket, 403, 'Forbidden');
    const user = userOfCookie(req.headers.cookie);
    if (!user) return refuseUpgrade(socket, 401, 'Unauthorized');
    const waiter = { ticketId, userId: user.id };
    this.parts.statuses.find(ticketId, user.id).then(
      (status) => {
        if (!status) return refuseUpgrade(socket, 404, 'Not Found');
        this.wss.handleUpgrade(req, socket, head, (ws) => this.admit(ws, waiter));
      },
      () => refuseUpgrade(socket, 503, 'Service Unavailable'),
    );
  }

  async start(): Promise<void> {
    this.parts.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.parts.channel) this.onChange(message);
    });
    await this.parts.subscriber.subscribe(this.parts.channel);
    const every = (ms: number, run: () => void) => {
      const timer = setInterval(run, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.config.pushIntervalMs, () => void this.pushAll());
    every(this.config.pingIntervalMs, () => this.sockets.heartbeat());
  }

  stop(): Promise<void> {
    return this.close();
  }

  close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.sockets.closeAll(GOING_AWAY, 'server shutting down');
    return Promise.resolve();
  }

  private admit(ws: WebSocket, waiter: Waiter): void {
    // Clients only listen; what they send (up to maxPayload) is ignored, and a protocol error ends the socket.
    ws.on('error', () => ws.terminate());
    const admission = this.sockets.add(ws, waiter);
    if (admission === 'too-many-for-user') return ws.close(TOO_MANY_SOCKETS, 'too many queue sockets for this user');
    if (admission === 'full') return ws.close(FULL, 'server full, try again later');
    void this.push(waiter);
  }

  private onChange(message: string): void {
    const change = WaitingRoom.parseChange(message);
    if (!change) return;
    for (const userId of change.userIds) {
      const waiter = { ticketId: change.ticketId, userId };
      if (this.sockets.has(waiter)) void this.push(waiter);
    }
  }

  /** Every waiting user's status, read in one go (ioredis pipelines the concurrent scripts). */
  private async pushAll(): Promise<void> {
    if (this.pushing) return;
    this.pushing = true;
    try {
      await Promise.all(this.sockets.waiters().map((waiter) => this.push(waiter)));
    } finally {
      this.pushing = false;
    }
  }

  private async push(waiter: Waiter): Promise<void> {
    try {
      const status = await this.parts.statuses.find(waiter.ticketId, waiter.userId);
      if (status) this.sockets.send(waiter, status);
    } catch {
      // Redis is away: the next round of pushes tries again.
    }
  }
}
