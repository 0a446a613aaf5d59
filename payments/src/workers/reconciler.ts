import type { Connection, QueryFilter, Model } from 'mongoose';
import { logger, modelOn, PeriodicTask } from '@ticketing/common';
import { Payment, PaymentFields, PaymentStatus, type StoredPayment } from '../models/payment';
import { carryOut } from '../services/carry-out';
import { refunds } from '../services/refund';

export interface ReconcilerOptions {
  /** Pending attempts older than this are resolved here. */
  reconcileAfterMs: number;
  intervalMs: number;
  log?: (message: string) => void;
}

/** Payments read at a time, oldest first. */
const BATCH = 100;
/** Batches one pass reads of each kind at most; the next pass takes the rest. */
const MAX_BATCHES = 50;

type Field = 'claimedAt' | 'createdAt';

/**
 * Nothing stays pending, and no refund due is forgotten: on start and every `intervalMs`, every
 * pending attempt older than `reconcileAfterMs` is resolved from Stripe itself (its request resent
 * with its idempotency key: Stripe answers with the charge it made, or the decline, or makes the
 * charge now), and every refund due is carried out, each oldest first. What fails stays stored for
 * the next pass; a refund Stripe refuses for good leaves the set as refundFailed, so none can starve the rest.
 */
export class Reconciler {
  private readonly passes: PeriodicTask;
  private model: Model<PaymentFields> = Payment;
  private readonly log: (message: string) => void;

  constructor(private readonly options: ReconcilerOptions) {
    this.log = options.log ?? ((message) => logger.error(message));
    this.passes = new PeriodicTask({
      intervalMs: options.intervalMs,
      pass: () => this.reconcile(),
      failed: (err) => this.log(`[payments] reconciler: pass failed, next one in ${options.intervalMs} ms: ${err.message}`),
    });
  }

  start({ sweepConnection }: { sweepConnection?: Connection } = {}): void {
    this.model = modelOn<PaymentFields>(sweepConnection, Payment);
    this.passes.start({ runNow: true });
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass, unless one is running: resolves once it is done. */
  run(): Promise<void> {
    return this.passes.run();
  }

  private async reconcile(): Promise<void> {
    const before = new Date(Date.now() - this.options.reconcileAfterMs);
    const stale = { status: PaymentStatus.Pending, claimedAt: { $lt: before } };
    for await (const payment of this.oldestFirst(stale, 'claimedAt')) await this.attempt('resolve', payment, carryOut);
    const due = { status: PaymentStatus.Succeeded, orderCancelled: true };
    for await (const payment of this.oldestFirst(due, 'createdAt')) await this.attempt('refund', payment, (due) => refunds.run(due));
  }

  /** The payments matching `filter`, oldest by `field` first, a batch at a time, each batch after the last one read. */
  private async *oldestFirst(filter: QueryFilter<PaymentFields>, field: Field): AsyncGenerator<StoredPayment> {
    let after: StoredPayment | undefined;
    for (let batches = 0; batches < MAX_BATCHES; batches++) {
      const page = await this.model
        .find(after ? { $and: [filter, laterThan(after, field)] } : filter)
        .sort({ [field]: 1, _id: 1 })
        .limit(BATCH)
        .lean<StoredPayment[]>();
      yield* page;
      if (page.length < BATCH) return;
      after = page[page.length - 1];
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

/** After `payment` in the order (field, _id): a tie on the timestamp goes by _id. */
const laterThan = (payment: StoredPayment, field: Field): QueryFilter<PaymentFields> => ({
  $or: [{ [field]: { $gt: payment[field] } }, { [field]: payment[field], _id: { $gt: payment._id } }],
});
