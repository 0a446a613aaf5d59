import crypto from 'crypto';
import { redisFromEnv } from '@ticketing/common';
import { ChargeQueue, createChargeQueue } from '../workers/charge-queue';

/**
 * A queue on the test Redis under a prefix of this file's own, emptied after each test; `replica()`
 * opens the same queue again, as a second payments process would. All are closed after the file.
 */
export const useTestQueues = () => {
  const prefix = `test-${crypto.randomBytes(4).toString('hex')}`;
  const open: ChargeQueue[] = [];
  const replica = () => {
    const queue = createChargeQueue({ redis: redisFromEnv(), prefix });
    open.push(queue);
    return queue;
  };
  const queue = replica();
  afterEach(() => queue.empty());
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await Promise.all(open.map((each) => each.close()));
  });
  return { queue, replica };
};
