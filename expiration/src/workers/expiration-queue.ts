import type { Queue } from 'bull';
import { createBullQueue, InvalidMessageError, jobRetention, QueueConnection, TraceCarrier, TracedJob, withTrace } from '@ticketing/common';

export interface ExpirationJob extends TracedJob {
  orderId: string;
}

export type ExpirationQueue = Queue<ExpirationJob>;

/** The service makes one queue from the environment; a test makes its own under a prefix of its own. */
export const createExpirationQueue = (connection: QueueConnection): ExpirationQueue =>
  createBullQueue<ExpirationJob>('order:expiration', 'expiration', connection);

/**
 * Schedules the order's expiry for `expiresAt` (now, if that has passed); scheduling it again is a no-op.
 * The job continues the trace of the order's creation (`trace`, else the active one).
 */
export const scheduleExpiration = async (
  queue: ExpirationQueue,
  orderId: string,
  expiresAt: string,
  trace?: TraceCarrier,
): Promise<void> => {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) throw new InvalidMessageError(`order ${orderId}: expiresAt ${JSON.stringify(expiresAt)} is not a date`);
  await queue.add(withTrace({ orderId }, trace), {
    // The order id as job id makes a redelivered order:created find the job it already scheduled.
    jobId: orderId,
    delay: Math.max(0, at - Date.now()),
    // A publish that fails (NATS unreachable) is retried for about half an hour.
    attempts: 12,
    backoff: { type: 'exponential', delay: 500 },
    ...jobRetention,
  });
};
