import type { QueueStatus } from '@ticketing/common/api';
import { waitingStatus, type QueueStatuses, type StatusRead } from '../services/queue-status';
import type { LineHead, WaitingRoom } from '../services/waiting-room';

/** Who a group of sockets belongs to: one user waiting on one listing; each of its sockets gets the same status. */
export interface Waiter {
  ticketId: string;
  userId: string;
}

export const keyOf = ({ ticketId, userId }: Waiter) => `${ticketId}/${userId}`;

/** How often a waiter is sent their place, by how far back they are. */
export interface PushSchedule {
  /** Waiters fewer than this many places from the head are sent their place every cycle. */
  frontOfLine: number;
  /** Those further back, every this many cycles (each at its own phase, so the sends spread over the cycles). */
  backOfLineEvery: number;
}

/** What this process last read from Redis for one waiter: statuses are derived from it without reading again. */
interface Known extends StatusRead {
  /** Which cycles a far-back waiter is sent on. */
  phase: number;
  /** Counts the reads started, so that an older read answering late does not overwrite a newer one. */
  reads: number;
}

/**
 * The statuses this process pushes to its sockets. A waiter's join sequence number is read once (when the
 * socket opens, or when a change is published for them); then each cycle reads only the head of each
 * listing's line (one command per listing, however many wait) and ranks every waiter locally: rank =
 * sequence − head's sequence. A waiter is read again only when their state changed: their number passed
 * the head (admitted), their admission lapsed, or a script published a change for them.
 */
export class StatusPushes {
  private readonly known = new Map<string, Known>();
  private cycles = 0;

  constructor(
    private readonly room: WaitingRoom,
    private readonly statuses: QueueStatuses,
    private readonly schedule: PushSchedule,
    private readonly send: (waiter: Waiter, status: QueueStatus) => void,
  ) {}

  /**
   * Sends what was read when the waiter's socket was accepted, and reads it again: a change published between
   * that read and the socket joining the hub (a join in flight) found no socket to tell.
   */
  adopt(waiter: Waiter, read: StatusRead): void {
    const known = this.known.get(keyOf(waiter));
    this.known.set(keyOf(waiter), { ...read, phase: this.phaseOf(waiter), reads: (known?.reads ?? 0) + 1 });
    this.send(waiter, read.status);
    void this.refresh(waiter);
  }

  /** Reads the waiter's state again (a change was published for them) and sends it. */
  async refresh(waiter: Waiter): Promise<void> {
    const key = keyOf(waiter);
    const known = this.known.get(key);
    const reads = (known?.reads ?? 0) + 1;
    if (known) known.reads = reads;
    try {
      const read = await this.statuses.read(waiter.ticketId, waiter.userId);
      const latest = this.known.get(key);
      if (!read || (latest && latest.reads !== reads)) return;
      this.known.set(key, { ...read, phase: this.phaseOf(waiter), reads });
      this.send(waiter, read.status);
    } catch {
      // Redis is away: the next cycle tries again.
    }
  }

  /** One push cycle over every waiter with an open socket: far-back ones only on their phase. */
  async cycle(waiters: Waiter[]): Promise<void> {
    this.cycles += 1;
    this.forgetAllBut(waiters);
    await Promise.all([...byListing(waiters)].map(([ticketId, ofListing]) => this.pushListing(ticketId, ofListing, false)));
  }

  /** Every waiter of the listing now, far back or not (its rules changed: sold out, or units back). */
  async pushListing(ticketId: string, waiters: Waiter[], everyone = true): Promise<void> {
    let head: LineHead | undefined;
    try {
      head = await this.room.lineHead(ticketId);
    } catch {
      return;
    }
    if (!head) return;
    for (const waiter of waiters) this.push(waiter, head, everyone);
  }

  private push(waiter: Waiter, head: LineHead, everyone: boolean): void {
    const known = this.known.get(keyOf(waiter));
    if (!known) return void this.refresh(waiter);
    if (known.sequence !== undefined) return this.pushPlace(waiter, known, known.sequence, head, everyone);
    if (known.lapsesAt !== undefined && known.lapsesAt <= Date.now()) return void this.refresh(waiter);
    // Admitted (the token signed once, at admission) or not in line: the same status, the listing's rules now.
    const status = { ...known.status, soldOut: head.rules.soldOut };
    if (everyone || status.admitted || this.due(Infinity, known)) this.send(waiter, status);
  }

  private pushPlace(waiter: Waiter, known: Known, sequence: number, head: LineHead, everyone: boolean): void {
    // Past the head: popped by an admission round, whose published change may not have arrived yet.
    if (sequence < head.headSequence) return void this.refresh(waiter);
    const rank = sequence - head.headSequence;
    if (everyone || this.due(rank, known)) this.send(waiter, waitingStatus(waiter.ticketId, rank, head.rules, this.statuses.admissionMs));
  }

  private due(rank: number, known: Known): boolean {
    return rank < this.schedule.frontOfLine || (this.cycles + known.phase) % this.schedule.backOfLineEvery === 0;
  }

  private phaseOf(waiter: Waiter): number {
    return this.known.get(keyOf(waiter))?.phase ?? Math.floor(Math.random() * this.schedule.backOfLineEvery);
  }

  private forgetAllBut(waiters: Waiter[]): void {
    const open = new Set(waiters.map(keyOf));
    for (const key of this.known.keys()) if (!open.has(key)) this.known.delete(key);
  }
}

const byListing = (waiters: Waiter[]): Map<string, Waiter[]> => {
  const listings = new Map<string, Waiter[]>();
  for (const waiter of waiters) {
    const ofListing = listings.get(waiter.ticketId);
    if (ofListing) ofListing.push(waiter);
    else listings.set(waiter.ticketId, [waiter]);
  }
  return listings;
};
