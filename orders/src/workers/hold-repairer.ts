import type { Connection, Model } from 'mongoose';
import { OrderStatus } from '@ticketing/common';
import { Order, OrderFields } from '../models/order';
import { StockEntry, StockEntryFields } from '../models/stock-entry';
import { releaseUnits } from '../services/release-units';
import { unitLedger } from '../services/unit-ledger';

export interface HoldRepairerOptions {
  /** How often to look for units held by no order. */
  intervalMs?: number;
  /** How old a hold must be before a missing order means a crash rather than an insert still on its way. */
  graceMs?: number;
  /** Holds and orders looked at per pass at most; the rest wait for the next one. */
  batch?: number;
}

/**
 * The repair for a crash between the stock ledger's write and the order's: every `intervalMs` it gives
 * back the units of holds whose order was never stored (older than `graceMs`) and of cancelled orders
 * that still hold theirs. Both releases are idempotent, so it may race the paths it repairs.
 */
export class HoldRepairer {
  private timer?: NodeJS.Timeout;
  private repairing?: Promise<number>;
  private readonly intervalMs: number;
  private readonly graceMs: number;
  private readonly batch: number;
  /** Its scans run off the request path when the service gives it a connection of its own. */
  private orders: Model<OrderFields> = Order;
  private entries: Model<StockEntryFields> = StockEntry;

  constructor({ intervalMs = 60_000, graceMs = 60_000, batch = 500 }: HoldRepairerOptions = {}) {
    this.intervalMs = intervalMs;
    this.graceMs = graceMs;
    this.batch = batch;
  }

  start({ sweepConnection }: { sweepConnection?: Connection } = {}): void {
    if (sweepConnection) {
      this.orders = sweepConnection.model<OrderFields>(Order.modelName, Order.schema, Order.collection.collectionName);
      this.entries = sweepConnection.model<StockEntryFields>(StockEntry.modelName, StockEntry.schema, StockEntry.collection.collectionName);
    }
    this.timer ??= setInterval(() => void this.repair(), this.intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.repairing;
  }

  /** One pass; resolves to how many orders' units it gave back. One pass at a time. */
  repair(): Promise<number> {
    this.repairing ??= this.releaseLost()
      .catch((err: Error) => {
        console.error(`[orders] repair of held units failed: ${err.message}`);
        return 0;
      })
      .finally(() => (this.repairing = undefined));
    return this.repairing;
  }

  private async releaseLost(): Promise<number> {
    const released = (await this.releaseOrphanHolds()) + (await this.releaseCancelledOrders());
    if (released > 0) console.log(`[orders] gave back the units of ${released} order(s) a crash left holding`);
    return released;
  }

  private async releaseOrphanHolds(): Promise<number> {
    const unchecked = await this.entries
      .find({ kind: 'hold', checked: { $ne: true }, createdAt: { $lt: new Date(Date.now() - this.graceMs) } })
      .select('_id ticketId orderId change')
      .limit(this.batch)
      .lean();
    let released = 0;
    for (const { _id, ticketId, orderId, change } of unchecked) {
      // A stored order gives its units back itself when it is cancelled (or below, if a crash got in the way).
      if (!(await Order.exists({ _id: orderId }))) {
        await unitLedger.release(ticketId, orderId, change);
        released += 1;
      }
      await StockEntry.updateOne({ _id }, { $set: { checked: true } });
    }
    return released;
  }

  private async releaseCancelledOrders(): Promise<number> {
    const holding = await this.orders.find({ status: OrderStatus.Cancelled, holding: true }).select('_id').limit(this.batch).lean();
    for (const { _id } of holding) {
      const order = await Order.findById(_id);
      if (order) await releaseUnits(order);
    }
    return holding.length;
  }
}
