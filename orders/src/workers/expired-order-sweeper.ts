import type { Connection, Model } from 'mongoose';
import { logFailedPass, logger, modelOn, OrderStatus, PeriodicTask } from '@ticketing/common';
import { orderOutbox } from '../events/outbox';
import { changeActiveOrder, Order, OrderFields } from '../models/order';
import { releaseUnits } from '../services/release-units';

export interface ExpiredOrderSweeperOptions {
  /** How often to look for orders the expiration service has not cancelled. */
  intervalMs?: number;
  /** How long past expiresAt an order is left to the expiration service before the sweep takes it. */
  graceMs?: number;
  /** Orders cancelled per sweep at most; the rest wait for the next one. */
  batch?: number;
}

/**
 * The fallback for a lost or late expiration job: every `intervalMs`, cancels the
 * unpaid orders past expiresAt + graceMs, so that no order holds a ticket for good.
 */
export class ExpiredOrderSweeper {
  private readonly sweeps: PeriodicTask<number>;
  private readonly graceMs: number;
  private readonly batch: number;
  /** Where the sweep's query (a scan on backends without a usable index) runs: off the request path if given one. */
  private readModel: Model<OrderFields> = Order;

  constructor({ intervalMs = 60_000, graceMs = 30_000, batch = 500 }: ExpiredOrderSweeperOptions = {}) {
    this.sweeps = new PeriodicTask({
      intervalMs,
      pass: () => this.cancelOverdue(),
      failed: logFailedPass('[orders] sweep for expired orders', 0),
    });
    this.graceMs = graceMs;
    this.batch = batch;
  }

  start({ sweepConnection }: { sweepConnection?: Connection } = {}): void {
    if (sweepConnection) this.readModel = modelOn<OrderFields>(sweepConnection, Order);
    this.sweeps.start();
  }

  stop(): Promise<void> {
    return this.sweeps.stop();
  }

  /** Cancels the orders overdue now; resolves to how many it cancelled. One sweep at a time. */
  sweep(): Promise<number> {
    return this.sweeps.run();
  }

  private async cancelOverdue(): Promise<number> {
    const overdue = await this.readModel
      .find({ status: OrderStatus.Created, expiresAt: { $lt: new Date(Date.now() - this.graceMs) } })
      .select('_id')
      .limit(this.batch)
      .lean();
    let cancelled = 0;
    for (const { _id } of overdue) {
      const order = await changeActiveOrder(String(_id), (active) => Order.cancel(active));
      if (order.status === OrderStatus.Cancelled) cancelled += 1;
      orderOutbox.kick(order);
      await releaseUnits(order);
    }
    if (cancelled > 0) logger.info(`[orders] cancelled ${cancelled} order(s) past expiresAt that expiration had not`);
    return cancelled;
  }
}
