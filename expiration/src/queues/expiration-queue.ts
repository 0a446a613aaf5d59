import Bull, { Queue, QueueOptions } from 'bull';
import { InvalidMessageError, jobRetention } from '@ticketing/common';

export interface ExpirationJob {
  orderId: string;
}

export type ExpirationQueue = Queue<ExpirationJob>;

/** The service makes one queue from the environment; a test makes its own under a prefix of its own. */
export const createExpirationQueue = ({ redis, prefix }: Pick<QueueOptions, 'redis' | 'prefix'>): ExpirationQueue => {
  const queue = new Bull<ExpirationJob>('order:expiration', { redis, prefix });
  // An EventEmitter without an 'error' listener would crash the process on a Redis hiccup.
  queue.on('error', (err) => console.error(`[expiration] queue error: ${err.message}`));
  return queue;
};

/** Schedules the order's expiry for `expiresAt` (now, if that has passed); scheduling it again is a no-op. */
export const scheduleExpiration = async (queue: ExpirationQueue, orderId: string, expiresAt: string): Promise<void> => {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) throw new InvalidMessageError(`order ${orderId}: expiresAt ${JSON.stringify(expiresAt)} is not a date`);
  await queue.add(
    { orderId },
    {
      // The order id as job id makes a redelivered order:created find the job it already scheduled.
      jobId: orderId,
      delay: Math.max(0, at - Date.now()),
      // A publish that fails (NATS unreachable) is retried for about half an hour.
      attempts: 12,
      backoff: { type: 'exponential', delay: 500 },
      ...jobRetention,
    },
  );
};
