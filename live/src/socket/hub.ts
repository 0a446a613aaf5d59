import type { LiveMessage } from '@ticketing/common/api';
import WebSocket from 'ws';
import type { LiveConfig } from '../config';

interface Client {
  socket: WebSocket;
  userId?: string;
  /** Answered the last ping. */
  alive: boolean;
}

export type Admission = 'accepted' | 'too-many-for-user' | 'full';

export interface HubStats {
  sockets: number;
  users: number;
  /** Slow consumers disconnected since start. */
  dropped: number;
}

/**
 * The sockets this process holds, and the fan-out: public messages to all of them, private ones to
 * the sockets of one user only. Everything is in memory; a socket that cannot keep up is cut off.
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  private readonly byUser = new Map<string, Set<Client>>();
  private dropped = 0;

  constructor(private readonly limits: Pick<LiveConfig, 'maxSockets' | 'maxSocketsPerUser' | 'maxBufferedBytes'>) {}

  /** Takes an open socket (of `userId`, if signed in) unless a limit is reached; it leaves the hub when it closes. */
  add(socket: WebSocket, userId?: string): Admission {
    if (this.clients.size >= this.limits.maxSockets) return 'full';
    const own = userId === undefined ? undefined : this.socketsOf(userId);
    if (own && own.size >= this.limits.maxSocketsPerUser) return 'too-many-for-user';
    const client: Client = { socket, userId, alive: true };
    this.clients.add(client);
    own?.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.once('close', () => this.remove(client));
    return 'accepted';
  }

  /** To every socket, signed in or not. */
  publish(message: LiveMessage): void {
    const payload = JSON.stringify(message);
    for (const client of this.clients) this.send(client, payload);
  }

  /** To the sockets of `userId` only. */
  publishTo(userId: string, message: LiveMessage): void {
    const own = this.byUser.get(userId);
    if (!own) return;
    const payload = JSON.stringify(message);
    for (const client of own) this.send(client, payload);
  }

  /** Drops the sockets that did not answer the last ping, and pings the others. */
  heartbeat(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        this.drop(client);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  closeAll(code: number, reason: string): void {
    for (const client of this.clients) client.socket.close(code, reason);
  }

  stats(): HubStats {
    return { sockets: this.clients.size, users: this.byUser.size, dropped: this.dropped };
  }

  private send(client: Client, payload: string): void {
    const { socket } = client;
    if (socket.readyState !== WebSocket.OPEN) return;
    // A client that reads slower than we send would make us hold its backlog without bound.
    if (socket.bufferedAmount + Buffer.byteLength(payload) > this.limits.maxBufferedBytes) {
      this.dropped += 1;
      this.drop(client);
      return;
    }
    socket.send(payload);
  }

  /** Terminate, not close: a close handshake would queue behind the backlog of a socket that does not read. */
  private drop(client: Client): void {
    this.remove(client);
    client.socket.terminate();
  }

  private socketsOf(userId: string): Set<Client> {
    const existing = this.byUser.get(userId);
    if (existing) return existing;
    const created = new Set<Client>();
    this.byUser.set(userId, created);
    return created;
  }

  private remove(client: Client): void {
    this.clients.delete(client);
    if (client.userId === undefined) return;
    const own = this.byUser.get(client.userId);
    own?.delete(client);
    if (own?.size === 0) this.byUser.delete(client.userId);
  }
}
