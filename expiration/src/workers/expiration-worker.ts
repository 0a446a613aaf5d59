import type { Job } from 'bull';
import { eventBus, logger, processJobs } from '@ticketing/common';
import { ExpirationCompletePublisher } from '../events/publishers/expiration-complete-publisher';
import { ExpirationJob, ExpirationQueue, scheduleExpiration } from './expiration-queue';

/** Processes due expirations: each one becomes an expiration:complete event. */
export class ExpirationWorker {
  constructor(private readonly queue: ExpirationQueue) {}

  async start(): Promise<void> {
    processJobs(this.queue, 'expiration', {
      concurrency: 1,
      describeTry: (job) => `order ${job.data.orderId}: attempt ${job.attemptsMade}`,
      handle: (job) => new ExpirationCompletePublisher(eventBus).publish({ orderId: job.data.orderId }),
    });
    await this.retryFailedJobs();
  }

  /** Waits for the jobs in progress, then disconnects from Redis. */
  stop(): Promise<void> {
    return this.queue.close();
  }

  /** A job that used up its attempts (NATS down longer than its back-off) would leave its order unexpired for good. */
  private async retryFailedJobs(): Promise<void> {
    const failed = await this.queue.getFailed();
    if (failed.length === 0) return;
    let retried = 0;
    for (const job of failed) {
      try {
        await this.retry(job);
        retried++;
      } catch (err) {
        // Most likely a replica starting at the same time retried it first.
        logger.error(`[expiration] order ${job.data.orderId}: could not retry the failed job: ${(err as Error).message}`);
      }
    }
    logger.info(`[expiration] retried ${retried} of ${failed.length} failed expiration job(s)`);
  }

  /**
   * Schedules the job again, due now, with all of its attempts and back-off to come: bull's
   * retry() keeps the attempt count, which would leave it a single try.
   */
  private async retry(job: Job<ExpirationJob>): Promise<void> {
    await job.remove();
    await scheduleExpiration(this.queue, job.data.orderId, new Date().toISOString(), job.data.trace);
  }
}
