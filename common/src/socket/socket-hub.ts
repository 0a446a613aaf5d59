import WebSocket from 'ws';
import { scrapedGauge } from '../observability/metrics';

/** Who opened a socket: its group (a user, a user on a listing), or none for an anonymous one, and from where. */
export interface SocketOwner<G> {
  group?: G;
  /** The client address, as the proxies in front of the service forward it (clientAddressOf). */
  address?: string;
}

interface Client<G> extends SocketOwner<G> {
  socket: WebSocket;
  /** Answered the last ping. */
  alive: boolean;
}

/** What became of a socket offered to a hub. */
export type SocketGrant = 'accepted' | 'too-many-for-user' | 'too-many-from-address' | 'full';

export interface SocketLimits {
  /** Sockets this process holds at most. */
  maxSockets: number;
  /** Sockets one group (one user) may hold at once; one more is refused. */
  maxSocketsPerUser: number;
  /** Anonymous sockets one client address may hold at once; one more is refused. Unset: no such cap. */
  maxAnonymousSocketsPerAddress?: number;
  /** Bytes queued for one socket beyond which it is a slow consumer and is disconnected. */
  maxBufferedBytes: number;
}

export interface SocketHubStats {
  sockets: number;
  groups: number;
  /** Slow consumers disconnected since start. */
  dropped: number;
}

/**
 * The sockets one process holds, grouped by owner (`keyOf` names a group): messages to all of them or to
 * one group's. Everything is in memory; a socket that cannot keep up, or does not answer a ping, is cut off.
 */
export class SocketHub<G> {
  private readonly clients = new Set<Client<G>>();
  private readonly groups = new Map<string, { group: G; clients: Set<Client<G>> }>();
  /** Anonymous sockets per client address. */
  private readonly anonymousByAddress = new Map<string, number>();
  private dropped = 0;

  constructor(
    private readonly limits: SocketLimits,
    private readonly keyOf: (group: G) => string,
  ) {
    hubs.add(this);
  }

  /** Takes an open socket (of its owner's group, if it has one) unless a limit is reached; it leaves the hub when it closes. */
  add(socket: WebSocket, { group, address }: SocketOwner<G> = {}): SocketGrant {
    if (this.clients.size >= this.limits.maxSockets) return 'full';
    const own = group === undefined ? undefined : this.clientsOf(group);
    if (own && own.clients.size >= this.limits.maxSocketsPerUser) return 'too-many-for-user';
    const anonymousFrom = own ? undefined : address;
    if (anonymousFrom !== undefined && this.anonymousFrom(anonymousFrom) >= (this.limits.maxAnonymousSocketsPerAddress ?? Infinity)) {
      return 'too-many-from-address';
    }
    const client: Client<G> = { socket, group, address: anonymousFrom, alive: true };
    this.clients.add(client);
    if (own) {
      own.clients.add(client);
      this.groups.set(this.keyOf(own.group), own);
    }
    if (anonymousFrom !== undefined) this.anonymousByAddress.set(anonymousFrom, this.anonymousFrom(anonymousFrom) + 1);
    socket.on('pong', () => (client.alive = true));
    socket.once('close', () => this.remove(client));
    return 'accepted';
  }

  /** To every socket, in a group or not. */
  publish(message: unknown): void {
    const payload = JSON.stringify(message);
    for (const client of this.clients) this.send(client, payload);
  }

  /** To the sockets of `group` only. */
  publishTo(group: G, message: unknown): void {
    const own = this.groups.get(this.keyOf(group));
    if (!own) return;
    const payload = JSON.stringify(message);
    for (const client of own.clients) this.send(client, payload);
  }

  has(group: G): boolean {
    return this.groups.has(this.keyOf(group));
  }

  /** Every group with an open socket. */
  owners(): G[] {
    return [...this.groups.values()].map((own) => own.group);
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

  stats(): SocketHubStats {
    return { sockets: this.clients.size, groups: this.groups.size, dropped: this.dropped };
  }

  private send(client: Client<G>, payload: string): void {
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
  private drop(client: Client<G>): void {
    this.remove(client);
    client.socket.terminate();
  }

  /** The group's entry, new (and not yet kept) when it has no socket. */
  private clientsOf(group: G): { group: G; clients: Set<Client<G>> } {
    return this.groups.get(this.keyOf(group)) ?? { group, clients: new Set<Client<G>>() };
  }

  private anonymousFrom(address: string): number {
    return this.anonymousByAddress.get(address) ?? 0;
  }

  private remove(client: Client<G>): void {
    if (!this.clients.delete(client)) return;
    if (client.address !== undefined) {
      const left = this.anonymousFrom(client.address) - 1;
      if (left > 0) this.anonymousByAddress.set(client.address, left);
      else this.anonymousByAddress.delete(client.address);
    }
    if (client.group === undefined) return;
    const key = this.keyOf(client.group);
    const own = this.groups.get(key);
    own?.clients.delete(client);
    if (own?.clients.size === 0) this.groups.delete(key);
  }
}

const hubs = new Set<Pick<SocketHub<unknown>, 'stats'>>();

scrapedGauge('websocket_connections', 'WebSockets this process holds open', [], (gauge) => {
  gauge.set([...hubs].reduce((sum, hub) => sum + hub.stats().sockets, 0));
});
scrapedGauge(
  'websocket_slow_consumers_dropped',
  'Sockets cut off since start because they read slower than they were sent to',
  [],
  (gauge) => {
    gauge.set([...hubs].reduce((sum, hub) => sum + hub.stats().dropped, 0));
  },
);
