import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import { refuseUpgrade, requestPath, sameOrigin, SocketServer, userOfCookie, type UpgradeHandler, type Worker } from '@ticketing/common';
import type { LiveConfig } from '../config';
import type { LiveHub } from './hub';

export const LIVE_PATH = '/api/live';

/** Upgrades GET /api/live to a WebSocket, admits it to the hub, and pings the hub's sockets. */
export class LiveServer implements UpgradeHandler, Worker {
  private readonly sockets: SocketServer<string>;

  constructor(hub: LiveHub, config: Pick<LiveConfig, 'maxPayloadBytes' | 'pingIntervalMs'>) {
    this.sockets = new SocketServer(hub.sockets, { ...config, tooManyReason: 'too many live sockets for this user' });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = requestPath(req);
    if (path === undefined) return refuseUpgrade(socket, 400, 'Bad Request');
    if (path !== LIVE_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!sameOrigin(req)) return refuseUpgrade(socket, 403, 'Forbidden');
    this.sockets.accept(req, socket, head, userOfCookie(req.headers.cookie)?.id);
  }

  start(): void {
    this.sockets.startHeartbeat();
  }

  stop(): Promise<void> {
    return this.close();
  }

  close(): Promise<void> {
    return this.sockets.close();
  }
}
