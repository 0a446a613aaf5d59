import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import type { TooManySocketsCloseCode } from '@ticketing/common/api';
import type { UpgradeHandler, Worker } from '@ticketing/common';
import WebSocket, { WebSocketServer } from 'ws';
import type { LiveConfig } from '../config';
import type { LiveHub } from './hub';
import { userOfCookie } from './session';

export const LIVE_PATH = '/api/live';
export const TOO_MANY_SOCKETS: TooManySocketsCloseCode = 4008;
/** "Try again later": the process holds as many sockets as it may. */
const FULL = 1013;
const GOING_AWAY = 1001;

const refuse = (socket: Duplex, status: number, reason: string) => {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/**
 * A browser sends its cookies with a WebSocket opened by any site: the Origin, when there is one, must be
 * the host the request was sent to, or another site could read a user's private messages.
 */
const sameOrigin = (req: IncomingMessage): boolean => {
  const { origin, host } = req.headers;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
};

/** Upgrades GET /api/live to a WebSocket, admits it to the hub, and pings the hub's sockets. */
export class LiveServer implements UpgradeHandler, Worker {
  private readonly wss: WebSocketServer;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly hub: LiveHub,
    private readonly config: Pick<LiveConfig, 'maxPayloadBytes' | 'pingIntervalMs'>,
  ) {
    // No compression: zlib's context costs hundreds of KB per socket, far more than the messages save.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: config.maxPayloadBytes, perMessageDeflate: false, clientTracking: false });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://live').pathname;
    if (path !== LIVE_PATH) return refuse(socket, 404, 'Not Found');
    if (!sameOrigin(req)) return refuse(socket, 403, 'Forbidden');
    const user = userOfCookie(req.headers.cookie);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.admit(ws, user?.id));
  }

  start(): void {
    this.heartbeat = setInterval(() => this.hub.heartbeat(), this.config.pingIntervalMs);
    this.heartbeat.unref();
  }

  stop(): Promise<void> {
    return this.close();
  }

  close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.hub.closeAll(GOING_AWAY, 'server shutting down');
    return Promise.resolve();
  }

  private admit(ws: WebSocket, userId: string | undefined): void {
    // Clients only listen; what they send (up to maxPayload) is ignored, and a protocol error ends the socket.
    ws.on('error', () => ws.terminate());
    const admission = this.hub.add(ws, userId);
    if (admission === 'too-many-for-user') ws.close(TOO_MANY_SOCKETS, 'too many live sockets for this user');
    if (admission === 'full') ws.close(FULL, 'server full, try again later');
  }
}
