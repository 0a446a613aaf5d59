import { EventBus, natsWrapper } from '@ticketing/common';
import { ExpirationCompletePublisher } from '../events/publishers/expiration-complete-publisher';
import type { ExpirationQueue } from './expiration-queue';

/** Processes due expirations: each one becomes an expiration:complete event. */
export class ExpirationWorker {
  constructor(
    private readonly queue: ExpirationQueue,
    private readonly bus: () => EventBus = () => natsWrapper.bus,
  ) {}

  start(): void {
    this.queue.on('failed', (job, err) =>
      console.error(`[expiration] order ${job.data.orderId}: attempt ${job.attemptsMade} failed: ${err.message}`),
    );
    // process() settles only when the queue closes, so it is not awaited.
    this.queue
      .process((job) => new ExpirationCompletePublisher(this.bus()).publish({ orderId: job.data.orderId }))
      .catch((err: Error) => console.error(`[expiration] processing stopped: ${err.message}`));
  }

  /** Waits for the jobs in progress, then disconnects from Redis. */
  stop(): Promise<void> {
    return this.queue.close();
  }
}
