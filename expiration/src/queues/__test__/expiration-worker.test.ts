import { natsWrapper, Subjects } from '@ticketing/common';
import { RecordingBus } from '@ticketing/common/testing';
import { scheduleExpiration } from '../expiration-queue';
import { ExpirationWorker } from '../expiration-worker';
import { sleep, uniquePrefix, useTestQueues, waitFor } from './test-queues';

const testQueue = useTestQueues();
const bus = new RecordingBus();

beforeEach(() => {
  bus.clear();
  natsWrapper.use(bus);
});

afterEach(() => jest.restoreAllMocks());

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const expirations = () => bus.eventsOf(Subjects.ExpirationComplete);

it('publishes expiration:complete {orderId} once the delay has passed, not before', async () => {
  const queue = testQueue();
  new ExpirationWorker(queue).start();
  const scheduledAt = Date.now();

  await scheduleExpiration(queue, 'order-1', inMs(300));
  await waitFor(() => expirations().length > 0);

  expect(Date.now() - scheduledAt).toBeGreaterThanOrEqual(290);
  expect(expirations()).toEqual([{ orderId: 'order-1' }]);
});

it('fires a job scheduled before the service restarted', async () => {
  const prefix = uniquePrefix();
  const before = testQueue(prefix);
  await scheduleExpiration(before, 'order-1', inMs(300));
  await before.close();

  const after = testQueue(prefix);
  new ExpirationWorker(after).start();
  await waitFor(() => expirations().length > 0);

  expect(expirations()).toEqual([{ orderId: 'order-1' }]);
});

it('retries a publish that failed until it succeeds', async () => {
  const queue = testQueue();
  const publish = jest.spyOn(bus, 'publish');
  const log = jest.spyOn(console, 'error').mockImplementation(() => {});
  bus.failNext(1);
  new ExpirationWorker(queue).start();

  await scheduleExpiration(queue, 'order-1', inMs(0));
  await waitFor(() => expirations().length > 0);

  expect(publish).toHaveBeenCalledTimes(2);
  expect(expirations()).toEqual([{ orderId: 'order-1' }]);
  expect(log).toHaveBeenCalledWith('[expiration] order order-1: attempt 1 failed: publish failed (simulated)');
});

it('lets the job in progress finish before it stops', async () => {
  const queue = testQueue();
  let finishPublish = () => {};
  const publish = jest
    .spyOn(bus, 'publish')
    .mockReturnValueOnce(new Promise<void>((resolve) => (finishPublish = resolve)));
  const worker = new ExpirationWorker(queue);
  worker.start();
  await scheduleExpiration(queue, 'order-1', inMs(0));
  await waitFor(() => publish.mock.calls.length === 1);

  let stopped = false;
  const stopping = worker.stop().then(() => (stopped = true));
  await sleep(200);
  expect(stopped).toBe(false);

  finishPublish();
  await stopping;
  expect(stopped).toBe(true);
});
