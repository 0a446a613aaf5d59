import type { Connection, Model, Types } from 'mongoose';
import { logFailedPass, logger, modelOn, OrderStatus, PeriodicTask } from '@ticketing/common';
import { holdRepairIntervalMs } from '../config';
import { abandonOrders, Order, OrderFields } from '../models/order';
import { BuyerEntry } from '../models/buyer-entry';
import { StockEntry, StockEntryFields } from '../models/stock-entry';
import { releaseUnits } from '../services/release-units';
import { buyerUnits, Stock, stock } from '../services/stock';

/** Batches of holds one pass checks at most: a backlog larger than that is left to the next pass. */
const MAX_BATCHES_PER_PASS = 40;
/** Orphans released at the same time (the stock appends one listing's steps one at a time anyway). */
const RELEASES_AT_ONCE = 16;

type UncheckedHold = Pick<StockEntryFields, '_id' | 'ticketId' | 'orderId' | 'change'>;

/** A chain of holds the pass checks: the entries it scans, and the chains that release them. */
interface Ledger {
  entries: Model<StockEntryFields>;
  chains: Stock;
}

/** Runs `task` over `items`, at most `limit` at once. */
const inParallel = async <T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit)
    results.push(...(await Promise.all(items.slice(start, start + limit).map(task))));
  return results;
};

export interface HoldRepairerOptions {
  /** How often to look for units held by no order. */
  intervalMs?: number;
  /** How old a hold must be before a missing order means a crash rather than an insert still on its way. */
  graceMs?: number;
  /** Holds read at a time; a pass reads batch after batch until one comes back short. */
  batch?: number;
}

/**
 * The repair for a crash between the stock's write and the order's: every `intervalMs` it gives
 * back the units of holds whose order was never stored (older than `graceMs`), as many batches as are
 * due, and of cancelled orders that still hold theirs. Both releases are idempotent, so it may race the
 * paths it repairs; an order stored after its hold was released is refused on its `_id` (`abandonOrders`).
 */
export class HoldRepairer {
  private readonly passes: PeriodicTask<number>;
  private readonly graceMs: number;
  private readonly batch: number;
  /** Its scans run off the request path when the service gives it a connection of its own. */
  private orders: Model<OrderFields> = Order;
  /** The listings' stock, and each buyer's units per listing. */
  private ledgers: Ledger[] = [
    { entries: StockEntry, chains: stock },
    { entries: BuyerEntry, chains: buyerUnits },
  ];

  constructor({ intervalMs = holdRepairIntervalMs(), graceMs = 60_000, batch = 500 }: HoldRepairerOptions = {}) {
    this.passes = new PeriodicTask({
      intervalMs,
      pass: () => this.releaseLost(),
      failed: logFailedPass('[orders] repair of held units', 0),
    });
    this.graceMs = graceMs;
    this.batch = batch;
  }

  start({ sweepConnection }: { sweepConnection?: Connection } = {}): void {
    if (sweepConnection) {
      this.orders = modelOn<OrderFields>(sweepConnection, Order);
      this.ledgers = this.ledgers.map(({ entries, chains }) => ({ entries: modelOn(sweepConnection, entries), chains }));
    }
    this.passes.start();
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass; resolves to how many orders' units it gave back. One pass at a time. */
  repair(): Promise<number> {
    return this.passes.run();
  }

  private async releaseLost(): Promise<number> {
    const released = (await this.releaseOrphanHolds()) + (await this.releaseCancelledOrders());
    if (released > 0) logger.info(`[orders] gave back the units of ${released} order(s) a crash left holding`);
    return released;
  }

  /** The orders whose holds were orphans, in the stock or in a buyer's units (a crash may leave either, or both). */
  private async releaseOrphanHolds(): Promise<number> {
    const released = new Set<string>();
    for (const ledger of this.ledgers) for (const orderId of await this.releaseOrphansOf(ledger)) released.add(orderId);
    return released.size;
  }

  /** Batch after batch of unchecked holds past the grace, until a batch comes back short or the pass has done its share. */
  private async releaseOrphansOf(ledger: Ledger): Promise<string[]> {
    const released: string[] = [];
    for (let batches = 0; batches < MAX_BATCHES_PER_PASS; batches++) {
      const unchecked = await ledger.entries
        .find({ kind: 'hold', checked: { $ne: true }, createdAt: { $lt: new Date(Date.now() - this.graceMs) } })
        .select('_id ticketId orderId change')
        .limit(this.batch)
        .lean<UncheckedHold[]>();
      released.push(...(await this.checkHolds(ledger, unchecked)));
      if (unchecked.length < this.batch) break;
    }
    return released;
  }

  /**
   * One read for the orders of the whole batch; the orphans' order ids taken by placeholders in one write (so that
   * a late save of one fails), their units released side by side; one write to mark the batch checked.
   */
  private async checkHolds({ entries, chains }: Ledger, holds: UncheckedHold[]): Promise<string[]> {
    if (holds.length === 0) return [];
    const orders = await this.orders
      .find({ _id: { $in: holds.map((hold) => hold.orderId) } })
      .select('_id abandoned')
      .lean<{ _id: Types.ObjectId; abandoned?: boolean }[]>();
    const placed = new Set(orders.filter((order) => !order.abandoned).map((order) => String(order._id)));
    const abandoned = await abandonOrders(holds.filter((hold) => !placed.has(hold.orderId)).map((hold) => hold.orderId));
    const orphans = holds.filter((hold) => abandoned.has(hold.orderId));
    await inParallel(orphans, RELEASES_AT_ONCE, ({ ticketId, orderId, change }) => chains.release(ticketId, orderId, change));
    await entries.updateMany({ _id: { $in: holds.map((hold) => hold._id) } }, { $set: { checked: true } });
    return orphans.map((hold) => hold.orderId);
  }

  /** Batch after batch of cancelled orders still holding (each released leaves the query), until one comes back short. */
  private async releaseCancelledOrders(): Promise<number> {
    let released = 0;
    for (let batches = 0; batches < MAX_BATCHES_PER_PASS; batches++) {
      const holding = await this.orders.find({ status: OrderStatus.Cancelled, holding: true }).select('_id').limit(this.batch).lean();
      for (const { _id } of holding) {
        const order = await Order.findById(_id);
        if (order) await releaseUnits(order);
      }
      released += holding.length;
      if (holding.length < this.batch) break;
    }
    return released;
  }
}
