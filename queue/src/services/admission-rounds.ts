import type { Worker } from '@ticketing/common';
import type { WaitingRoom } from './waiting-room';
import { logger } from '@ticketing/common';

/**
 * Runs admission rounds: every `intervalMs` for each waiting room with someone in line or holding a slot
 * (lapsed admissions are freed within that), and at once for a listing when a slot may have come free or
 * someone joined. Every replica does this; the rounds are atomic in Redis, so they cannot over-admit.
 */
export class AdmissionRounds implements Worker {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly room: WaitingRoom,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.everyRoom(), this.intervalMs);
    this.timer.unref();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return Promise.resolve();
  }

  /** A round for one listing now; a failure (Redis away) is left to the next timed round. */
  async kick(ticketId: string): Promise<void> {
    await this.room.admit(ticketId).catch((err: Error) => logger.error(`[queue] admission round for ${ticketId} failed: ${err.message}`));
  }

  private async everyRoom(): Promise<void> {
    // A slow Redis must not pile rounds up behind each other.
    if (this.running) return;
    this.running = true;
    try {
      const listings = await this.room.pendingListings();
      await Promise.all(listings.map((ticketId) => this.kick(ticketId)));
    } catch (err) {
      logger.error(`[queue] admission rounds failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
