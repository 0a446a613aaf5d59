import type { Model } from 'mongoose';
import { isDuplicateKey } from '@ticketing/common';
import { BuyerEntry } from '../models/buyer-entry';
import { holdOp, releaseOp, StockEntry, StockEntryFields, stockEntryId, StockEntryKind } from '../models/stock-entry';

/** The last step of a listing's stock as this process last saw it. */
interface Head {
  seq: number;
  held: number;
}

const EMPTY: Head = { seq: 0, held: 0 };

/** Steps appended by other processes between a read and a write, at most, before giving up. */
const MAX_ATTEMPTS = 200;

/** Chains whose last step a process remembers; beyond it the oldest is forgotten (and found again by reads). */
const MAX_REMEMBERED_HEADS = 100_000;

export type HoldResult = { held: true } | { held: false; available: number };

/**
 * Every listing's units, kept as a chain of steps (see StockEntry). A hold or release reads the
 * last step N and inserts step N+1: a compare-and-set that the unique `_id` makes atomic across
 * connections and processes. Within a process the steps of one listing are appended one at a
 * time (the others would only lose the race), so only other replicas ever contend.
 */
export class Stock {
  private readonly heads = new Map<string, Head>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly model: Model<StockEntryFields> = StockEntry) {}

  /** Units held by active and paid orders on the listing now. */
  async held(ticketId: string): Promise<number> {
    return (await this.head(ticketId)).held;
  }

  /** Holds `quantity` units for the order if `capacity` leaves room; holding again for the same order is a no-op. */
  hold(ticketId: string, orderId: string, quantity: number, capacity: number): Promise<HoldResult> {
    return this.serially(ticketId, async () => {
      // First on the step this process saw last, without a read: if another process has moved past it,
      // inserting the next step fails on its _id and the loop reads the head. A refusal is never decided on it.
      let head = this.heads.get(ticketId) ?? EMPTY;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (attempt > 0 || head.held + quantity > capacity) head = await this.head(ticketId);
        if (head.held + quantity > capacity) return { held: false, available: Math.max(0, capacity - head.held) };
        const outcome = await this.append(ticketId, head, { kind: 'hold', orderId, change: quantity, op: holdOp(orderId) });
        if (outcome !== 'lost') return { held: true };
      }
      throw new Error(`could not hold units of listing ${ticketId}: the stock kept changing`);
    });
  }

  /**
   * Whether `quantity` more units fit now, without holding them: no read while the step last seen leaves room
   * (the hold decides), a read of the head before saying they do not, so that no refusal rests on a stale view.
   */
  async fits(ticketId: string, quantity: number, capacity: number): Promise<HoldResult> {
    let head = this.heads.get(ticketId) ?? EMPTY;
    if (head.held + quantity > capacity) head = await this.head(ticketId);
    return head.held + quantity > capacity ? { held: false, available: Math.max(0, capacity - head.held) } : { held: true };
  }

  /** Gives back the `quantity` units the order holds; idempotent, so every path that ends an order may call it. */
  release(ticketId: string, orderId: string, quantity: number): Promise<void> {
    return this.serially(ticketId, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const head = await this.head(ticketId);
        const outcome = await this.append(ticketId, head, { kind: 'release', orderId, change: -quantity, op: releaseOp(orderId) });
        if (outcome !== 'lost') return;
      }
      throw new Error(`could not release units of listing ${ticketId}: the stock kept changing`);
    });
  }

  /** As release, for an order that may never have held here (placed before the chain existed): then nothing. */
  async releaseIfHeld(ticketId: string, orderId: string, quantity: number): Promise<void> {
    if (await this.model.exists({ op: holdOp(orderId) })) await this.release(ticketId, orderId, quantity);
  }

  /** Inserts step head+1; 'lost' when another writer took that step, 'done' when the op was already stored. */
  private async append(
    ticketId: string,
    head: Head,
    step: { kind: StockEntryKind; orderId: string; change: number; op: string },
  ): Promise<'appended' | 'done' | 'lost'> {
    const seq = head.seq + 1;
    const held = head.held + step.change;
    // Only a release already stored can come to less than nothing (a rare path: `op` is no _id, so this reads more).
    if (held < 0) {
      if (await this.model.exists({ op: step.op })) return 'done';
      throw new Error(`listing ${ticketId}: ${step.op} would release units nobody holds`);
    }
    try {
      await this.model.create({ _id: stockEntryId(ticketId, seq), ticketId, seq, held, ...step });
      this.remember(ticketId, { seq, held });
      return 'appended';
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Either index may have refused it: if step seq is still free, the op is what exists already.
      return (await this.model.exists({ _id: stockEntryId(ticketId, seq) })) ? 'lost' : 'done';
    }
  }

  /** The last step, found from the one last seen by galloping forward and then bisecting: O(log n) reads by _id. */
  private async head(ticketId: string): Promise<Head> {
    let last = this.heads.get(ticketId) ?? EMPTY;
    let gap = 1;
    let missing = last.seq + gap;
    for (let found = await this.step(ticketId, missing); found; found = await this.step(ticketId, missing)) {
      last = found;
      gap *= 2;
      missing = last.seq + gap;
    }
    while (missing - last.seq > 1) {
      const middle = Math.floor((last.seq + missing) / 2);
      const found = await this.step(ticketId, middle);
      if (found) last = found;
      else missing = middle;
    }
    this.remember(ticketId, last);
    return last;
  }

  /** Keeps the last step seen, the most recent last, so that the map stays bounded by dropping the oldest. */
  private remember(ticketId: string, head: Head): void {
    this.heads.delete(ticketId);
    this.heads.set(ticketId, head);
    if (this.heads.size > MAX_REMEMBERED_HEADS) this.heads.delete(this.heads.keys().next().value!);
  }

  private async step(ticketId: string, seq: number): Promise<Head | null> {
    return this.model.findById(stockEntryId(ticketId, seq)).select('seq held').lean<Head>();
  }

  /** Runs the listing's work one after another in this process. */
  private serially<R>(ticketId: string, work: () => Promise<R>): Promise<R> {
    const previous = this.queues.get(ticketId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.queues.set(ticketId, tail);
    void tail.then(() => {
      if (this.queues.get(ticketId) === tail) this.queues.delete(ticketId);
    });
    return run;
  }
}

/** The process's stock, on the default connection. */
export const stock = new Stock();

/** Each buyer's units per listing (chains keyed by buyerKey, capacity the listing's limitPerBuyer). */
export const buyerUnits = new Stock(BuyerEntry);
