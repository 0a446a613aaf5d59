import Bull, { Job, Queue, QueueOptions } from 'bull';
import { jobDuration, jobLateness, scrapedGauge } from '../observability/metrics';
import { continueTrace, currentTrace, TraceCarrier } from '../observability/trace-context';
import { logger } from '../observability/logger';

/** Where a queue lives: the service's Redis from the environment, or a test's own prefix. */
export type QueueConnection = Pick<QueueOptions, 'redis' | 'prefix'>;

/** A bull queue whose errors `service` logs: an EventEmitter without an 'error' listener would crash the process on a Redis hiccup. */
export const createBullQueue = <T>(name: string, service: string, { redis, prefix }: QueueConnection): Queue<T> => {
  const queue = new Bull<T>(name, { redis, prefix });
  queue.on('error', (err) => logger.error(`[${service}] queue error: ${err.message}`));
  openQueues.add(queue);
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
  const timed = async (job: Job<T>) => {
    jobLateness.observe({ queue: queue.name }, Math.max(0, Date.now() - job.timestamp - (job.opts.delay ?? 0)) / 1000);
    const end = jobDuration.startTimer({ queue: queue.name });
    try {
      const result = await handleInTrace(job);
      end({ outcome: 'completed' });
      return result;
    } catch (err) {
      end({ outcome: 'failed' });
      throw err;
    }
  };
  queue.process(concurrency, timed).catch((err: Error) => logger.error(`[${service}] processing stopped: ${err.message}`));
};

const openQueues = new Set<Queue>();

scrapedGauge('job_queue_jobs', 'Jobs in each bull queue of this process, by state', ['queue', 'state'], async (gauge) => {
  for (const queue of openQueues) {
    // Bull sets `closing` once close() is called (it emits no event for it).
    if ('closing' in queue && queue.closing) {
      openQueues.delete(queue);
      continue;
    }
    const counts: Record<string, number> = { ...(await queue.getJobCounts()) };
    for (const [state, count] of Object.entries(counts)) gauge.set({ queue: queue.name, state }, count);
  }
});
