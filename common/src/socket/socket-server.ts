import type { IncomingMessage } from 'http';
import type { Duplex } from 'stream';
import { Router } from 'express';
import WebSocket, { WebSocketServer } from 'ws';
import type { TooManySocketsCloseCode } from '../api/live';
import type { SocketHub, SocketOwner } from './socket-hub';

export const TOO_MANY_SOCKETS: TooManySocketsCloseCode = 4008;
/** "Try again later": the process holds as many sockets as it may. */
export const SERVER_FULL = 1013;
export const GOING_AWAY = 1001;

export interface SocketServerSettings {
  /** Largest message a client may send (clients send nothing a service reads). */
  maxPayloadBytes: number;
  /** Each socket is pinged this often; one that has not answered the previous ping is dropped. */
  pingIntervalMs: number;
  /** The close reason of a socket refused as its user's one too many, e.g. 'too many live sockets for this user'. */
  tooManyReason: string;
}

/** The owner of an upgrade the service accepted, and what to do once its socket is in the hub. */
export interface AcceptedUpgrade<G> extends SocketOwner<G> {
  /** Runs for the socket the upgrade made, before the hub takes or refuses it. */
  onUpgraded?: (socket: WebSocket) => void;
  onAccepted?: (socket: WebSocket) => void;
}

/**
 * Turns upgrade requests a service has accepted into WebSockets in `hub`, with the close codes of a refusal,
 * and pings the hub's sockets while started.
 */
export class SocketServer<G> {
  private readonly wss: WebSocketServer;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    readonly hub: SocketHub<G>,
    private readonly settings: SocketServerSettings,
  ) {
    // No compression: zlib's context costs hundreds of KB per socket, far more than the messages save.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: settings.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
  }

  /** Completes the upgrade and adds the socket to the hub; `onAccepted` runs once it is in. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, { onUpgraded, onAccepted, ...owner }: AcceptedUpgrade<G> = {}): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      onUpgraded?.(ws);
      if (this.admit(ws, owner)) onAccepted?.(ws);
    });
  }

  /** Completes the upgrade only to close the socket at once with `code`: a refusal the client can read. */
  refuse(req: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      ws.close(code, reason);
    });
  }

  startHeartbeat(): void {
    this.heartbeat = setInterval(() => this.hub.heartbeat(), this.settings.pingIntervalMs);
    this.heartbeat.unref();
  }

  close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.hub.closeAll(GOING_AWAY, 'server shutting down');
    return Promise.resolve();
  }

  private admit(ws: WebSocket, owner: SocketOwner<G>): boolean {
    // Clients only listen; what they send (up to maxPayload) is ignored, and a protocol error ends the socket.
    ws.on('error', () => ws.terminate());
    const grant = this.hub.add(ws, owner);
    if (grant === 'too-many-for-user') ws.close(TOO_MANY_SOCKETS, this.settings.tooManyReason);
    if (grant === 'too-many-from-address') ws.close(TOO_MANY_SOCKETS, 'too many sockets from this address');
    if (grant === 'full') ws.close(SERVER_FULL, 'server full, try again later');
    return grant === 'accepted';
  }
}

/** GET `path` without an upgrade asks for one; the upgrade itself goes to the service's SocketServer, not to Express. */
export const upgradeRequired = (path: string) =>
  Router().get(path, (_req, res) => {
    res
      .status(426)
      .set('Upgrade', 'websocket')
      .send({ errors: [{ message: 'Upgrade to a WebSocket' }] });
  });
