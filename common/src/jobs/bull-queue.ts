import Bull, { Queue, QueueOptions } from 'bull';

/** Where a queue lives: the service's Redis from the environment, or a test's own prefix. */
export type QueueConnection = Pick<QueueOptions, 'redis' | 'prefix'>;

/** A bull queue whose errors `service` logs: an EventEmitter without an 'error' listener would crash the process on a Redis hiccup. */
export const createBullQueue = <T>(name: string, service: string, { redis, prefix }: QueueConnection): Queue<T> => {
  const queue = new Bull<T>(name, { redis, prefix });
  queue.on('error', (err) => console.error(`[${service}] queue error: ${err.message}`));
  return queue;
};
