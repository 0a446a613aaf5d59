import { Listener, OutOfOrderEventError, Subjects, TicketUpdatedEvent } from '../..';
import { RecordingBus, ticketUpdatedData } from '../../testing';

/** Applies each ticket's versions strictly in order, as a replica does; an early one throws OutOfOrderEventError. */
class InOrderListener extends Listener<TicketUpdatedEvent> {
  readonly subject = Subjects.TicketUpdated;
  readonly applied: number[] = [];

  constructor(bus: RecordingBus, ackWaitMs = 5_000) {
    super(bus);
    this.ackWaitMs = ackWaitMs;
  }

  onMessage(data: TicketUpdatedEvent['data']): Promise<void> {
    const last = this.applied.at(-1) ?? 0;
    if (data.version !== last + 1) return Promise.reject(new OutOfOrderEventError('Ticket', data.id, data.version));
    this.applied.push(data.version);
    return Promise.resolve();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('holds an early version in the process until the version before it is applied, instead of giving it back to the transport', async () => {
  const bus = new RecordingBus();
  const listener = new InOrderListener(bus);
  listener.listen('orders-service');
  const ticket = ticketUpdatedData({ version: 1 });

  const early = bus.deliver(Subjects.TicketUpdated, { ...ticket, version: 2 });
  await sleep(300);
  expect(await bus.deliver(Subjects.TicketUpdated, ticket)).toBe('acked');

  expect(await early).toBe('acked');
  expect(listener.applied).toEqual([1, 2]);
});

it.each([
  { ackWaitMs: 5_000, waitsMs: 1_000 },
  { ackWaitMs: 800, waitsMs: 200 },
])(
  'gives an early version back for redelivery once the one before it has not come within $waitsMs ms (ack wait $ackWaitMs ms)',
  async ({ ackWaitMs, waitsMs }) => {
    const bus = new RecordingBus();
    const listener = new InOrderListener(bus, ackWaitMs);
    listener.listen('orders-service');

    const started = Date.now();
    expect(await bus.deliver(Subjects.TicketUpdated, ticketUpdatedData({ version: 3 }))).toBe('unacked');

    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(waitsMs - 100);
    expect(waited).toBeLessThan(waitsMs + 500);
    expect(listener.applied).toEqual([]);
  },
);
