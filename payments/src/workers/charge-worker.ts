import { processJobs } from '@ticketing/common';
import { Payment, type StoredPayment } from '../models/payment';
import { carryOut } from '../services/carry-out';
import { refunds } from '../services/refund';
import { ChargeJob, ChargeQueue } from './charge-queue';

/** Takes queued attempts to their outcome, `concurrency` at a time; a job that throws is retried with back-off. */
export class ChargeWorker {
  constructor(
    private readonly queue: ChargeQueue,
    private readonly concurrency: number,
  ) {}

  start(): void {
    processJobs(this.queue, 'payments', {
      concurrency: this.concurrency,
      describeTry: (job) => `payment ${job.data.paymentId} attempt ${job.data.attempt}: try ${job.attemptsMade}`,
      handle: (job) => chargeJob(job.data),
    });
  }

  /** Waits for the charges in progress, then disconnects from Redis. */
  async stop(): Promise<void> {
    await this.queue.close();
    await refunds.settle();
  }
}

const chargeJob = async ({ paymentId, attempt }: ChargeJob): Promise<void> => {
  const payment = await Payment.findById(paymentId).lean<StoredPayment>();
  // Resolved already (by another worker or the reconciler), or superseded by a newer attempt.
  if (!payment || payment.attempt !== attempt) return;
  await carryOut(payment);
};
