import { InvalidMessageError } from '@ticketing/common';
import { orderCreatedData, RecordingBus } from '@ticketing/common/testing';
import { useTestQueues } from '../../../workers/__test__/test-queues';
import { OrderCreatedListener } from '../order-created-listener';

const testQueue = useTestQueues();

const orderCreated = (expiresAt: Date) => orderCreatedData({ expiresAt: expiresAt.toISOString() });

const setup = () => {
  const queue = testQueue();
  return { queue, listener: new OrderCreatedListener(new RecordingBus(), queue) };
};

it('schedules a job with the order id as job id, due at expiresAt', async () => {
  const { queue, listener } = setup();
  const data = orderCreated(new Date(Date.now() + 15 * 60_000));

  const before = Date.now();
  await listener.onMessage(data);
  const after = Date.now();

  const job = await queue.getJob(data.id);
  expect(job?.data).toEqual({ orderId: data.id });
  expect(await job?.isDelayed()).toBe(true);
  const expiresAt = Date.parse(data.expiresAt);
  expect(job!.opts.delay).toBeGreaterThanOrEqual(expiresAt - after);
  expect(job!.opts.delay).toBeLessThanOrEqual(expiresAt - before);
});

it('schedules an order whose expiresAt has passed with no delay, never a negative one', async () => {
  const { queue, listener } = setup();
  const data = orderCreated(new Date(Date.now() - 60_000));

  await listener.onMessage(data);

  expect((await queue.getJob(data.id))!.opts.delay).toBe(0);
});

it('does not schedule a redelivered order:created a second time', async () => {
  const { queue, listener } = setup();
  const data = orderCreated(new Date(Date.now() + 60_000));

  await listener.onMessage(data);
  await listener.onMessage(data);

  expect(await queue.getDelayedCount()).toBe(1);
});

it('finds an event with an unreadable expiresAt invalid (unacked, parked if it stays so) and schedules nothing', async () => {
  const { queue, listener } = setup();
  const data = { ...orderCreated(new Date()), expiresAt: 'soon' };

  await expect(listener.onMessage(data)).rejects.toThrow('is not a date');
  await expect(listener.onMessage(data)).rejects.toBeInstanceOf(InvalidMessageError);
  expect(await queue.getJobCounts()).toMatchObject({ waiting: 0, delayed: 0 });
});
