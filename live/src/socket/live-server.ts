import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import type { TooManySocketsCloseCode } from '@ticketing/common/api';
import { refuseUpgrade, requestPath, sameOrigin, userOfCookie, type UpgradeHandler, type Worker } from '@ticketing/common';
import WebSocket, { WebSocketServer } from 'ws';
import type { LiveConfig } from '../config';
import type { LiveHub } from './hub';

export const LIVE_PATH = '/api/live';
export const TOO_MANY_SOCKETS: TooManySocketsCloseCode = 4008;
/** "Try again later": the process holds as many sockets as it may. */
const FULL = 1013;
const GOING_AWAY = 1001;

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
    const path = requestPath(req);
    if (path === undefined) return refuseUpgrade(socket, 400, 'Bad Request');
    if (path !== LIVE_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!sameOrigin(req)) return refuseUpgrade(socket, 403, 'Forbidden');
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
