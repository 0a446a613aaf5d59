import { eventBus, logger, Subjects } from '@ticketing/common';
import { RecordingBus, waitUntil } from '@ticketing/common/testing';
import { scheduleExpiration } from '../expiration-queue';
import { ExpirationWorker } from '../expiration-worker';
import { sleep, uniquePrefix, useTestQueues } from './test-queues';

const testQueue = useTestQueues();
const bus = new RecordingBus();

beforeEach(() => {
  bus.forgetPublished();
  bus.recover();
  eventBus.use(bus);
});

afterEach(() => jest.restoreAllMocks());

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const expirations = () => bus.eventsOf(Subjects.ExpirationComplete);

it('publishes expiration:complete {orderId} once the delay has passed, not before', async () => {
  const queue = testQueue();
  await new ExpirationWorker(queue).start();
  const scheduledAt = Date.now();

  await scheduleExpiration(queue, 'order-1', inMs(300));
  await waitUntil(() => expirations().length > 0, 5_000, 'expiration:complete');

  expect(Date.now() - scheduledAt).toBeGreaterThanOrEqual(290);
  expect(expirations()).toEqual([{ orderId: 'order-1' }]);
});

it('fires a job scheduled before the service restarted', async () => {
  const prefix = uniquePrefix();
  const before = testQueue(prefix);
  await scheduleExpiration(before, 'order-1', inMs(300));
  await before.close();

  const after = testQueue(prefix);
  await new ExpirationWorker(after).start();
  await waitUntil(() => expirations().length > 0, 5_000, 'expiration:complete');

  expect(expirations()).toEqual([{ orderId: 'order-1' }]);
});

it('retries a publish that failed until it succeeds', async () => {
  const queue = testQueue();
  const publish = jest.spyOn(bus, 'publish');
  const log = jest.spyOn(logger, 'error').mockImplementation(() => {});
  bus.fail();
  await new ExpirationWorker(queue).start();

  await scheduleExpiration(queue, 'order-1', inMs(0));
  await waitUntil(() => log.mock.calls.length === 1, 5_000, 'the failed attempt');
  bus.recover();
  await waitUntil(() => expirations().length > 0, 5_000, 'expiration:complete');

  expect(publish.mock.calls.length).toBeGreaterThanOrEqual(2);
  expect(expirations()).toEqual([{ orderId: 'order-1' }]);
  expect(log).toHaveBeenCalledWith('[expiration] order order-1: attempt 1 failed: publish failed (simulated)');
});

it('lets the job in progress finish before it stops', async () => {
  const queue = testQueue();
  let finishPublish = () => {};
  const publish = jest.spyOn(bus, 'publish').mockReturnValueOnce(new Promise<void>((resolve) => (finishPublish = resolve)));
  const worker = new ExpirationWorker(queue);
  await worker.start();
  await scheduleExpiration(queue, 'order-1', inMs(0));
  await waitUntil(() => publish.mock.calls.length === 1, 5_000, 'the first publish');

  let stopped = false;
  const stopping = worker.stop().then(() => (stopped = true));
  await sleep(200);
  expect(stopped).toBe(false);

  finishPublish();
  await stopping;
  expect(stopped).toBe(true);
});

it('gives a job that failed every attempt all its attempts again when it starts', async () => {
  const prefix = uniquePrefix();
  const publish = jest.spyOn(bus, 'publish');
  const failures = jest.spyOn(logger, 'error').mockImplementation(() => {});
  const info = jest.spyOn(logger, 'info').mockImplementation(() => {});
  // NATS is down through both attempts of the job, which lands in the failed set.
  const before = testQueue(prefix);
  const worker = new ExpirationWorker(before);
  await worker.start();
  bus.fail();
  await before.add({ orderId: 'order-1' }, { jobId: 'order-1', attempts: 2, backoff: 10 });
  await waitUntil(() => failures.mock.calls.length === 2, 5_000, 'both attempts to fail');
  await worker.stop();
  expect(expirations()).toEqual([]);

  // After the restart its first attempt fails too: only the attempts given back let it publish.
  await new ExpirationWorker(testQueue(prefix)).start();
  await waitUntil(() => failures.mock.calls.length === 3, 5_000, 'the first attempt after the restart');
  bus.recover();
  await waitUntil(() => expirations().length > 0, 5_000, 'expiration:complete');

  expect(expirations()).toEqual([{ orderId: 'order-1' }]);
  expect(publish).toHaveBeenCalledTimes(4);
  expect(info).toHaveBeenCalledWith('[expiration] retried 1 of 1 failed expiration job(s)');
});

it('leaves the jobs that did not fail alone when it starts', async () => {
  const prefix = uniquePrefix();
  const info = jest.spyOn(logger, 'info').mockImplementation(() => {});
  const before = testQueue(prefix);
  const worker = new ExpirationWorker(before);
  await worker.start();
  await scheduleExpiration(before, 'order-1', inMs(0));
  await waitUntil(() => expirations().length > 0, 5_000, 'expiration:complete');
  await worker.stop();

  const after = testQueue(prefix);
  await new ExpirationWorker(after).start();
  await sleep(200);

  expect(expirations()).toEqual([{ orderId: 'order-1' }]);
  expect(await after.getCompletedCount()).toBe(1);
  expect(info).not.toHaveBeenCalled();
});
