import Bull, { Job, Queue, QueueOptions } from 'bull';

/** Where a queue lives: the service's Redis from the environment, or a test's own prefix. */
export type QueueConnection = Pick<QueueOptions, 'redis' | 'prefix'>;

/** A bull queue whose errors `service` logs: an EventEmitter without an 'error' listener would crash the process on a Redis hiccup. */
export const createBullQueue = <T>(name: string, service: string, { redis, prefix }: QueueConnection): Queue<T> => {
  const queue = new Bull<T>(name, { redis, prefix });
  queue.on('error', (err) => console.error(`[${service}] queue error: ${err.message}`));
  return queue;
};

export interface JobProcessing<T> {
  /** Jobs handled at the same time by this process. */
  concurrency: number;
  /** Names a job's try in the log line of its failure. */
  describeTry: (job: Job<T>) => string;
  handle: (job: Job<T>) => Promise<unknown>;
}

/** Handles the queue's jobs, logging each failed try; a job that throws is retried as its options say. */
export const processJobs = <T>(queue: Queue<T>, service: string, { concurrency, describeTry, handle }: JobProcessing<T>): void => {
  queue.on('failed', (job, err) => console.error(`[${service}] ${describeTry(job)} failed: ${err.message}`));
  // process() settles only when the queue closes, so it is not awaited.
  queue.process(concurrency, handle).catch((err: Error) => console.error(`[${service}] processing stopped: ${err.message}`));
};
