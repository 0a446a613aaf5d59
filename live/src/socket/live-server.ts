import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import {
  clientAddressOf,
  refuseUpgrade,
  requestPath,
  sameOrigin,
  SocketServer,
  userOfCookie,
  type UpgradeHandler,
  type Worker,
} from '@ticketing/common';
import type { LiveConfig } from '../config';
import type { LiveHub } from './hub';

export const LIVE_PATH = '/api/live';

/** Upgrades GET /api/live to a WebSocket, admits it to the hub, and pings the hub's sockets. */
export class LiveServer implements UpgradeHandler, Worker {
  private readonly sockets: SocketServer<string>;
  private readonly trustProxy: number | string;

  constructor(hub: LiveHub, config: Pick<LiveConfig, 'maxPayloadBytes' | 'pingIntervalMs' | 'trustProxy'>) {
    this.trustProxy = config.trustProxy;
    this.sockets = new SocketServer(hub.sockets, { ...config, tooManyReason: 'too many live sockets for this user' });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = requestPath(req);
    if (path === undefined) return refuseUpgrade(socket, 400, 'Bad Request');
    if (path !== LIVE_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!sameOrigin(req)) return refuseUpgrade(socket, 403, 'Forbidden');
    // An anonymous socket counts against its client address, so that no one client fills the process.
    const owner = { group: userOfCookie(req.headers.cookie)?.id, address: clientAddressOf(req, this.trustProxy) };
    this.sockets.accept(req, socket, head, owner);
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
