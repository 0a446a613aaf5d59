import crypto from 'crypto';
import { redisFromEnv } from '@ticketing/common';
import { createExpirationQueue, ExpirationQueue } from '../expiration-queue';

export const uniquePrefix = () => `test-${crypto.randomBytes(4).toString('hex')}`;

const openQueue = (prefix: string) => createExpirationQueue({ redis: redisFromEnv(), prefix });

/**
 * Queues on the test Redis, each test under a prefix of its own (a "restarted" queue
 * reuses the prefix of the one it replaces); all are closed and emptied after each test.
 */
export const useTestQueues = () => {
  const open: { queue: ExpirationQueue; prefix: string }[] = [];

  afterEach(async () => {
    const used = open.splice(0);
    await Promise.all(used.map(({ queue }) => queue.close()));
    for (const prefix of new Set(used.map((entry) => entry.prefix))) {
      const cleaner = openQueue(prefix);
      await cleaner.obliterate({ force: true });
      await cleaner.close();
    }
  });

  return (prefix = uniquePrefix()): ExpirationQueue => {
    const queue = openQueue(prefix);
    open.push({ queue, prefix });
    return queue;
  };
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
