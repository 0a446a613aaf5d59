import request from 'supertest';
import { createApp, Listener, maxDeliveriesFromEnv, OrderCancelledEvent, parkedMessageCount, Subjects } from '../..';
import { orderCancelledData, RecordingBus } from '../../testing';

/** A listener whose every message fails, as one naming a record the service never heard of. */
class PoisonedListener extends Listener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  onMessage(data: OrderCancelledEvent['data']): Promise<void> {
    return Promise.reject(new Error(`unknown ticket ${data.ticket.id}`));
  }
}

const bus = new RecordingBus();
new PoisonedListener(bus).listen('tickets-service', { maxDeliveries: 3 });

beforeEach(() => {
  bus.recover();
  bus.forgetPublished();
  jest.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => jest.restoreAllMocks());

it('leaves a failing message for redelivery until its last delivery, then parks it with its error and acks', async () => {
  const data = orderCancelledData();
  const before = parkedMessageCount();

  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 1 })).toBe('unacked');
  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 2 })).toBe('unacked');
  expect(bus.eventsOf(Subjects.DeadLetter)).toEqual([]);

  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 3 })).toBe('acked');

  expect(bus.eventsOf(Subjects.DeadLetter)).toEqual([
    {
      subject: Subjects.OrderCancelled,
      queueGroup: 'tickets-service',
      sequence: expect.any(Number),
      deliveries: 3,
      error: `unknown ticket ${data.ticket.id}`,
      parkedAt: expect.any(String),
      data,
    },
  ]);
  expect(parkedMessageCount()).toBe(before + 1);
  expect(console.error).toHaveBeenCalledWith(
    expect.stringMatching(/^\[deadletter\] order:cancelled #\d+ parked for tickets-service after 3 deliveries/),
  );
});

it('keeps the message for redelivery when the dead letter cannot be published: nothing is lost', async () => {
  bus.fail();
  expect(await bus.deliver(Subjects.OrderCancelled, orderCancelledData(), { deliveries: 3 })).toBe('unacked');
});

it('shows how many messages the process parked on /healthz', async () => {
  const app = createApp([]);
  const deadLetters = async () => ((await request(app).get('/healthz').expect(200)).body as { deadLetters: number }).deadLetters;
  const before = await deadLetters();

  await bus.deliver(Subjects.OrderCancelled, orderCancelledData(), { deliveries: 3 });

  expect(await deadLetters()).toBe(before + 1);
});

it('takes the number of deliveries from EVENT_MAX_DELIVERIES, 20 unless set, and refuses nonsense', () => {
  expect(maxDeliveriesFromEnv(undefined)).toBe(20);
  expect(maxDeliveriesFromEnv('5')).toBe(5);
  for (const bad of ['0', '-1', '2.5', 'many']) expect(() => maxDeliveriesFromEnv(bad)).toThrow(/EVENT_MAX_DELIVERIES/);
});
