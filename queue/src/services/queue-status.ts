import { signAdmissionToken } from '@ticketing/common';
import type { QueueStatus } from '@ticketing/common/api';
import type { AdmissionPace, ListingRules, Standing, WaitingRoom } from './waiting-room';

/** The admissions per minute measured on the listing after its opening round; null until one was made. */
export const admissionsPerMinute = ({ admissions, elapsedMs }: AdmissionPace): number | null =>
  admissions > 0 && elapsedMs > 0 ? (admissions * 60_000) / elapsedMs : null;

/**
 * A guess from what was measured, not a promise: the line moves at the listing's pace so far, so the waiter
 * `rank` places from the head leaves it after rank + 1 more admissions, counted from the sale's opening.
 * Null ("estimating") until the pace is measured.
 */
const etaSeconds = (rank: number, rules: ListingRules, now: number): number | null => {
  const perMinute = admissionsPerMinute(rules.pace);
  if (perMinute === null) return null;
  const untilOnSale = Math.max(0, rules.onSaleAt - now);
  return Math.ceil((untilOnSale + ((rank + 1) / perMinute) * 60_000) / 1000);
};

/** The listing's part of every status: what is measured and when it opens. */
const listingPart = (rules: ListingRules) => {
  const perMinute = admissionsPerMinute(rules.pace);
  return {
    soldOut: rules.soldOut,
    onSaleAt: rules.onSaleAt > 0 ? new Date(rules.onSaleAt).toISOString() : null,
    admissionsPerMinute: perMinute === null ? null : Math.round(perMinute * 10) / 10,
  };
};

/** The status of a user who is neither in line nor admitted. */
const outsideStatus = (ticketId: string, rules: ListingRules): QueueStatus => ({
  ticketId,
  position: 0,
  ahead: 0,
  etaSeconds: 0,
  admitted: false,
  ...listingPart(rules),
});

/** The status of a user `rank` places from the head of the line (0: next). */
export const waitingStatus = (ticketId: string, rank: number, rules: ListingRules, now = Date.now()): QueueStatus => ({
  ...outsideStatus(ticketId, rules),
  position: rank + 1,
  ahead: rank,
  etaSeconds: etaSeconds(rank, rules, now),
});

/** The JSON of GET /api/queue/:ticketId/me (and of the socket's queue:status) for a known listing. */
export const queueStatusOf = (
  ticketId: string,
  userId: string,
  standing: Exclude<Standing, { kind: 'unknown' }>,
  now = Date.now(),
): QueueStatus => {
  if (standing.kind === 'outside') return outsideStatus(ticketId, standing.rules);
  if (standing.kind === 'waiting') return waitingStatus(ticketId, standing.rank, standing.rules, now);
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
  constructor(private readonly room: WaitingRoom) {}

  async find(ticketId: string, userId: string): Promise<QueueStatus | undefined> {
    return (await this.read(ticketId, userId))?.status;
  }

  async read(ticketId: string, userId: string): Promise<StatusRead | undefined> {
    const now = Date.now();
    const standing = await this.room.standing(ticketId, userId);
    if (standing.kind === 'unknown') return undefined;
    const status = queueStatusOf(ticketId, userId, standing, now);
    if (standing.kind === 'waiting') return { status, sequence: standing.sequence };
    if (standing.kind === 'admitted' && !standing.ordered) return { status, lapsesAt: standing.expiresAt };
    return { status };
  }
}
