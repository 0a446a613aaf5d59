import Bull, { Job, Queue, QueueOptions } from 'bull';
import { continueTrace, currentTrace, TraceCarrier } from '../observability/trace-context';
import { logger } from '../observability/logger';

/** Where a queue lives: the service's Redis from the environment, or a test's own prefix. */
export type QueueConnection = Pick<QueueOptions, 'redis' | 'prefix'>;

/** A bull queue whose errors `service` logs: an EventEmitter without an 'error' listener would crash the process on a Redis hiccup. */
export const createBullQueue = <T>(name: string, service: string, { redis, prefix }: QueueConnection): Queue<T> => {
  const queue = new Bull<T>(name, { redis, prefix });
  queue.on('error', (err) => logger.error(`[${service}] queue error: ${err.message}`));
  return queue;
};

/** A job's data carries the trace context of the work that queued it: its handling continues that trace. */
export interface TracedJob {
  trace?: TraceCarrier;
}

/** The job's data with the active trace context, when there is one (or `trace`, a context carried from elsewhere). */
export const withTrace = <T extends object>(data: T, trace: TraceCarrier | undefined = currentTrace()): T & TracedJob =>
  trace ? { ...data, trace } : data;

export interface JobProcessing<T> {
  /** Jobs handled at the same time by this process. */
  concurrency: number;
  /** Names a job's try in the log line of its failure. */
  describeTry: (job: Job<T>) => string;
  handle: (job: Job<T>) => Promise<unknown>;
}

/** Handles the queue's jobs, logging each failed try; a job that throws is retried as its options say. */
export const processJobs = <T extends TracedJob>(
  queue: Queue<T>,
  service: string,
  { concurrency, describeTry, handle }: JobProcessing<T>,
): void => {
  queue.on('failed', (job, err) => logger.error(`[${service}] ${describeTry(job)} failed: ${err.message}`));
  const handleInTrace = (job: Job<T>) =>
    continueTrace(`${queue.name} process`, job.data.trace, { 'messaging.system': 'bull', 'messaging.destination.name': queue.name }, () =>
      handle(job),
    );
  // process() settles only when the queue closes, so it is not awaited.
  queue.process(concurrency, handleInTrace).catch((err: Error) => logger.error(`[${service}] processing stopped: ${err.message}`));
};
