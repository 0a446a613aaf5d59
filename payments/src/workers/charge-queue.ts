import type { Queue } from 'bull';
import { createBullQueue, jobRetention, QueueConnection, TracedJob, withTrace } from '@ticketing/common';

export interface ChargeJob extends TracedJob {
  paymentId: string;
  attempt: number;
}

export type ChargeQueue = Queue<ChargeJob>;

/** The service makes one queue from the environment; a test makes its own under a prefix of its own. */
export const createChargeQueue = (connection: QueueConnection): ChargeQueue =>
  createBullQueue<ChargeJob>('payment:charge', 'payments', connection);

/** Tries of one job: with the back-off below, about four minutes of Stripe errors before the reconciler takes over. */
export const CHARGE_JOB_ATTEMPTS = 8;

/** Queues the attempt's charge; queuing the same attempt again is a no-op. */
export const enqueueCharge = async (queue: ChargeQueue, paymentId: string, attempt: number): Promise<void> => {
  await queue.add(withTrace({ paymentId, attempt }), {
    jobId: `${paymentId}-${attempt}`,
    attempts: CHARGE_JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: 1_000 },
    ...jobRetention,
  });
};
