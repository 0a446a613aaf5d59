import type { QueueStatus, QueueStatusMessage } from '@ticketing/common/api';
import WebSocket from 'ws';
import type { QueueConfig } from '../config';

interface Client {
  socket: WebSocket;
  ticketId: string;
  userId: string;
  /** Answered the last ping. */
  alive: boolean;
}

export type SocketAdmission = 'accepted' | 'too-many-for-user' | 'full';

/** Who a group of sockets belongs to: one user waiting on one listing. */
export interface Waiter {
  ticketId: string;
  userId: string;
}

const keyOf = ({ ticketId, userId }: Waiter) => `${ticketId}/${userId}`;

/**
 * The waiting sockets this process holds, grouped by listing and user: every socket of a user on a listing
 * gets the same status. A socket that cannot keep up is cut off, not buffered for.
 */
export class QueueSockets {
  private readonly clients = new Set<Client>();
  private readonly byWaiter = new Map<string, { waiter: Waiter; clients: Set<Client> }>();

  constructor(private readonly limits: Pick<QueueConfig, 'maxSockets' | 'maxSocketsPerUser'> & { maxBufferedBytes: number }) {}

  add(socket: WebSocket, waiter: Waiter): SocketAdmission {
    if (this.clients.size >= this.limits.maxSockets) return 'full';
    const key = keyOf(waiter);
    const group = this.byWaiter.get(key) ?? { waiter, clients: new Set<Client>() };
    if (group.clients.size >= this.limits.maxSocketsPerUser) return 'too-many-for-user';
    const client: Client = { socket, ...waiter, alive: true };
    this.clients.add(client);
    group.clients.add(client);
    this.byWaiter.set(key, group);
    socket.on('pong', () => (client.alive = true));
    socket.once('close', () => this.remove(client));
    return 'accepted';
  }

  /** Every user with an open socket, once per listing. */
  waiters(): Waiter[] {
    return [...this.byWaiter.values()].map((group) => group.waiter);
  }

  has(waiter: Waiter): boolean {
    return this.byWaiter.has(keyOf(waiter));
  }

  send(waiter: Waiter, status: QueueStatus): void {
    const group = this.byWaiter.get(keyOf(waiter));
    if (!group) return;
    const message: QueueStatusMessage = { type: 'queue:status', data: status };
    const payload = JSON.stringify(message);
    for (const client of group.clients) this.deliver(client, payload);
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

  count(): number {
    return this.clients.size;
  }

  private deliver(client: Client, payload: string): void {
    const { socket } = client;
    if (socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount + Buffer.byteLength(payload) > this.limits.maxBufferedBytes) {
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

  private remove(client: Client): void {
    this.clients.delete(client);
    const key = keyOf(client);
    const group = this.byWaiter.get(key);
    group?.clients.delete(client);
    if (group?.clients.size === 0) this.byWaiter.delete(key);
  }
}
