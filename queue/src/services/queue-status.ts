import { signAdmissionToken } from '@ticketing/common';
import type { QueueStatus } from '@ticketing/common/api';
import type { ListingRules, Standing, WaitingRoom } from './waiting-room';

/**
 * A guess, not a promise: the buyers ahead leave a slot each about every `holdMs` (the listing's average so
 * far, or the admission window before any admission ended), activeBuyers at a time, after the sale opens.
 */
const etaSeconds = (rank: number, rules: ListingRules, admissionMs: number, now: number) => {
  const untilOnSale = Math.max(0, rules.onSaleAt - now);
  const rounds = Math.ceil((rank + 1) / rules.activeBuyers);
  const hold = rules.holdMs > 0 ? rules.holdMs : admissionMs;
  return Math.ceil((untilOnSale + rounds * hold) / 1000);
};

/** The status of a user who is neither in line nor admitted. */
const outsideStatus = (ticketId: string, rules: ListingRules): QueueStatus => ({
  ticketId,
  position: 0,
  ahead: 0,
  etaSeconds: 0,
  admitted: false,
  soldOut: rules.soldOut,
});

/** The status of a user `rank` places from the head of the line (0: next). */
export const waitingStatus = (ticketId: string, rank: number, rules: ListingRules, admissionMs: number, now = Date.now()): QueueStatus => ({
  ...outsideStatus(ticketId, rules),
  position: rank + 1,
  ahead: rank,
  etaSeconds: etaSeconds(rank, rules, admissionMs, now),
});

/** The JSON of GET /api/queue/:ticketId/me (and of the socket's queue:status) for a known listing. */
export const queueStatusOf = (
  ticketId: string,
  userId: string,
  standing: Exclude<Standing, { kind: 'unknown' }>,
  admissionMs: number,
  now = Date.now(),
): QueueStatus => {
  if (standing.kind === 'outside') return outsideStatus(ticketId, standing.rules);
  if (standing.kind === 'waiting') return waitingStatus(ticketId, standing.rank, standing.rules, admissionMs, now);
  const expiresAt = new Date(standing.expiresAt);
  return {
    ...outsideStatus(ticketId, standing.rules),
    admitted: true,
    admissionExpiresAt: expiresAt.toISOString(),
    admissionToken: signAdmissionToken({ admissionId: standing.admissionId, userId, ticketId, expiresAt }),
  };
};

/** A user's status as read from Redis, with what the sockets need to keep it current without reading it again. */
export interface StatusRead {
  status: QueueStatus;
  /** The user's join sequence number while in line. */
  sequence?: number;
  /** When an admission without an order lapses (its token's expiry): the status changes then. */
  lapsesAt?: number;
}

/** Reads a user's QueueStatus on a listing; undefined when the listing has no waiting room (or is unknown). */
export class QueueStatuses {
  constructor(
    private readonly room: WaitingRoom,
    readonly admissionMs: number,
  ) {}

  async find(ticketId: string, userId: string): Promise<QueueStatus | undefined> {
    return (await this.read(ticketId, userId))?.status;
  }

  async read(ticketId: string, userId: string): Promise<StatusRead | undefined> {
    const now = Date.now();
    const standing = await this.room.standing(ticketId, userId);
    if (standing.kind === 'unknown') return undefined;
    const status = queueStatusOf(ticketId, userId, standing, this.admissionMs, now);
    if (standing.kind === 'waiting') return { status, sequence: standing.sequence };
    if (standing.kind === 'admitted' && !standing.ordered) return { status, lapsesAt: standing.expiresAt };
    return { status };
  }
}
