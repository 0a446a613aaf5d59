import type { Connection, Model } from 'mongoose';
import { Payment, PaymentFields, PaymentStatus } from '../models/payment';
import { carryOut } from '../services/carry-out';
import type { StoredPayment } from '../services/outcomes';
import { refunds } from '../services/refund';

export interface ReconcilerOptions {
  /** Pending attempts older than this are resolved here. */
  reconcileAfterMs: number;
  intervalMs: number;
  log?: (message: string) => void;
}

/** Payments resolved in one pass; the next pass takes the rest. */
const BATCH = 100;

/**
 * Nothing stays pending, and no refund due is forgotten: on start and every `intervalMs`, every
 * pending attempt older than `reconcileAfterMs` is resolved from Stripe itself (its request resent
 * with its idempotency key: Stripe answers with the charge it made, or the decline, or makes the
 * charge now), and every refund due is carried out. What fails stays stored for the next pass.
 */
export class Reconciler {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private model: Model<PaymentFields> = Payment;
  private readonly log: (message: string) => void;

  constructor(private readonly options: ReconcilerOptions) {
    this.log = options.log ?? ((message) => console.error(message));
  }

  start({ sweepConnection }: { sweepConnection?: Connection } = {}): void {
    this.model = sweepConnection?.model<PaymentFields>(Payment.modelName, Payment.schema, Payment.collection.collectionName) ?? Payment;
    void this.run();
    this.timer = setInterval(() => void this.run(), this.options.intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  /** One pass, unless one is running: resolves once it is done. */
  run(): Promise<void> {
    this.pass ??= this.reconcile().finally(() => (this.pass = undefined));
    return this.pass;
  }

  private async reconcile(): Promise<void> {
    try {
      const before = new Date(Date.now() - this.options.reconcileAfterMs);
      const stale = await this.model
        .find({ status: PaymentStatus.Pending, claimedAt: { $lt: before } })
        .limit(BATCH)
        .lean<StoredPayment[]>();
      for (const payment of stale) await this.attempt('resolve', payment, carryOut);
      const due = await this.model.find({ status: PaymentStatus.Succeeded, orderCancelled: true }).limit(BATCH).lean<StoredPayment[]>();
      for (const payment of due) await this.attempt('refund', payment, (due) => refunds.run(due));
    } catch (err) {
      this.log(`[payments] reconciler: pass failed, next one in ${this.options.intervalMs} ms: ${(err as Error).message}`);
    }
  }

  private async attempt(what: string, payment: StoredPayment, action: (payment: StoredPayment) => Promise<void>): Promise<void> {
    try {
      await action(payment);
    } catch (err) {
      this.log(`[payments] reconciler: could not ${what} payment ${String(payment._id)} yet: ${(err as Error).message}`);
    }
  }
}
