import { signAdmissionToken } from '@ticketing/common';
import type { QueueStatus } from '@ticketing/common/api';
import type { Standing, WaitingRoom } from './waiting-room';

/**
 * A guess, not a promise: the buyers ahead leave a slot each about every `holdMs` (the listing's average so
 * far, or the admission window before any admission ended), activeBuyers at a time, after the sale opens.
 */
const etaSeconds = (rank: number, rules: { activeBuyers: number; onSaleAt: number; holdMs: number }, admissionMs: number, now: number) => {
  const untilOnSale = Math.max(0, rules.onSaleAt - now);
  const rounds = Math.ceil((rank + 1) / rules.activeBuyers);
  const hold = rules.holdMs > 0 ? rules.holdMs : admissionMs;
  return Math.ceil((untilOnSale + rounds * hold) / 1000);
};

/** The JSON of GET /api/queue/:ticketId/me (and of the socket's queue:status) for a known listing. */
export const queueStatusOf = (
  ticketId: string,
  userId: string,
  standing: Exclude<Standing, { kind: 'unknown' }>,
  admissionMs: number,
  now = Date.now(),
): QueueStatus => {
  const outside = { ticketId, position: 0, ahead: 0, etaSeconds: 0, admitted: false };
  if (standing.kind === 'outside') return outside;
  if (standing.kind === 'waiting') {
    const { rank, rules } = standing;
    return { ...outside, position: rank + 1, ahead: rank, etaSeconds: etaSeconds(rank, rules, admissionMs, now) };
  }
  const expiresAt = new Date(standing.expiresAt);
  return {
    ...outside,
    admitted: true,
    admissionExpiresAt: expiresAt.toISOString(),
    admissionToken: signAdmissionToken({ admissionId: standing.admissionId, userId, ticketId, expiresAt }),
  };
};

/** Reads a user's QueueStatus on a listing; undefined when the listing has no waiting room (or is unknown). */
export class QueueStatuses {
  constructor(
    private readonly room: WaitingRoom,
    private readonly admissionMs: number,
  ) {}

  async find(ticketId: string, userId: string): Promise<QueueStatus | undefined> {
    const now = Date.now();
    const standing = await this.room.standing(ticketId, userId);
    if (standing.kind === 'unknown') return undefined;
    return queueStatusOf(ticketId, userId, standing, this.admissionMs, now);
  }
}
