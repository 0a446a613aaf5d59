import request from 'supertest';
import {
  createApp,
  failingMessages,
  InvalidMessageError,
  isLoggedFailure,
  Listener,
  logger,
  maxDeliveriesFromEnv,
  OrderCancelledEvent,
  parkedMessageCount,
  PaymentCreatedEvent,
  Subjects,
} from '../..';
import { orderCancelledData, paymentCreatedData, RecordingBus } from '../../testing';

/** A listener whose every message is invalid, as one naming a record the service never heard of. */
class PoisonedListener extends Listener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  onMessage(data: OrderCancelledEvent['data']): Promise<void> {
    return Promise.reject(new InvalidMessageError(`unknown ticket ${data.ticket.id}`));
  }
}

/** A listener whose database is down until `recover()`. */
class OutageListener extends Listener<PaymentCreatedEvent> {
  readonly subject = Subjects.PaymentCreated;
  down = true;

  onMessage(): Promise<void> {
    return this.down ? Promise.reject(new Error('connection to the database timed out')) : Promise.resolve();
  }
}

const bus = new RecordingBus();
new PoisonedListener(bus).listen('tickets-service', { maxDeliveries: 3 });
const outage = new OutageListener(bus);
outage.listen('orders-service', { maxDeliveries: 3 });

beforeEach(() => {
  bus.recover();
  bus.forgetPublished();
  outage.down = true;
  jest.spyOn(logger, 'error').mockImplementation(() => {});
});

afterEach(() => jest.restoreAllMocks());

const healthz = async (app = createApp([])) =>
  (await request(app).get('/healthz').expect(200)).body as { status: string; deadLetters: number; failing: Record<string, unknown> };

it('leaves an invalid message for redelivery until the handler found it invalid 3 times, then parks it with its error and acks', async () => {
  const data = orderCancelledData();
  const before = parkedMessageCount();
  const sequence = 1_000;

  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 1, sequence })).toBe('unacked');
  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 2, sequence })).toBe('unacked');
  expect(bus.eventsOf(Subjects.DeadLetter)).toEqual([]);

  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 3, sequence })).toBe('acked');

  expect(bus.eventsOf(Subjects.DeadLetter)).toEqual([
    {
      subject: Subjects.OrderCancelled,
      queueGroup: 'tickets-service',
      sequence,
      deliveries: 3,
      error: `unknown ticket ${data.ticket.id}`,
      parkedAt: expect.any(String),
      data,
    },
  ]);
  expect(parkedMessageCount()).toBe(before + 1);
  expect(failingMessages()[Subjects.OrderCancelled]).toBeUndefined();
  expect(logger.error).toHaveBeenCalledWith(
    expect.stringMatching(/^\[deadletter\] order:cancelled #\d+ parked for tickets-service after 3 deliveries/),
  );
});

it('counts only the verdicts this process gave: a message redelivered many times during an outage gets its 3 verdicts after it', async () => {
  const sequence = 2_000;
  const data = orderCancelledData();
  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 40, sequence })).toBe('unacked');
  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 41, sequence })).toBe('unacked');
  expect(bus.eventsOf(Subjects.DeadLetter)).toEqual([]);
  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 42, sequence })).toBe('acked');
  expect(bus.eventsOf(Subjects.DeadLetter)).toHaveLength(1);
});

it('never parks a message whose handler fails for another reason (a database down): it is retried, counted and shown on /healthz', async () => {
  const data = paymentCreatedData();
  const sequence = 3_000;
  const before = parkedMessageCount();

  for (let deliveries = 1; deliveries <= 50; deliveries++)
    expect(await bus.deliver(Subjects.PaymentCreated, data, { deliveries, sequence })).toBe('unacked');

  expect(bus.eventsOf(Subjects.DeadLetter)).toEqual([]);
  expect(parkedMessageCount()).toBe(before);
  expect(await healthz()).toMatchObject({ status: 'degraded', failing: { [Subjects.PaymentCreated]: { messages: 1, failures: 50 } } });

  outage.down = false;
  expect(await bus.deliver(Subjects.PaymentCreated, data, { deliveries: 51, sequence })).toBe('acked');
  expect(await healthz()).toMatchObject({ status: 'ok', failing: {} });
});

it('keeps the message for redelivery when the dead letter cannot be published: nothing is lost', async () => {
  const sequence = 4_000;
  const data = orderCancelledData();
  for (let deliveries = 1; deliveries <= 2; deliveries++) await bus.deliver(Subjects.OrderCancelled, data, { deliveries, sequence });
  bus.fail();
  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 3, sequence })).toBe('unacked');
  bus.recover();
  expect(await bus.deliver(Subjects.OrderCancelled, data, { deliveries: 4, sequence })).toBe('acked');
  expect(bus.eventsOf(Subjects.DeadLetter)).toHaveLength(1);
});

it('shows how many messages the process parked on /healthz', async () => {
  const app = createApp([]);
  const before = (await healthz(app)).deadLetters;
  const sequence = 5_000;

  for (let deliveries = 1; deliveries <= 3; deliveries++)
    await bus.deliver(Subjects.OrderCancelled, orderCancelledData(), { deliveries, sequence });

  expect((await healthz(app)).deadLetters).toBe(before + 1);
});

it('takes the number of verdicts from EVENT_MAX_DELIVERIES, 20 unless set, and refuses nonsense', () => {
  expect(maxDeliveriesFromEnv(undefined)).toBe(20);
  expect(maxDeliveriesFromEnv('5')).toBe(5);
  for (const bad of ['0', '-1', '2.5', 'many']) expect(() => maxDeliveriesFromEnv(bad)).toThrow(/EVENT_MAX_DELIVERIES/);
});

it('has the transports log a failing message on its first failed delivery and every 10th, not on each', () => {
  const logged = Array.from({ length: 30 }, (_, i) => i + 1).filter(isLoggedFailure);
  expect(logged).toEqual([1, 10, 20, 30]);
});
