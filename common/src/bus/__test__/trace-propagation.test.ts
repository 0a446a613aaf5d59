import crypto from 'crypto';
import { trace } from '@opentelemetry/api';
import { activeSpanIds, EventBus, Listener, MessageInfo, Subjects, Subscription, TicketCreatedEvent } from '../..';
import { ticketCreatedData, waitUntil } from '../../testing';
import { recordSpans, RecordedSpans } from '../../observability/__test__/record-spans';
import { transports } from './transports';

// The trace context crosses each transport with the event (JetStream headers, NATS Streaming's envelope),
// and a listener's consumer span continues the trace of the span that published it.

type Seen = { title: string; info: MessageInfo; ids: ReturnType<typeof activeSpanIds>; keys: string[] };

class SeeingListener extends Listener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;
  readonly seen: Seen[] = [];

  constructor(
    bus: EventBus,
    private readonly prefix: string,
  ) {
    super(bus);
  }

  onMessage(data: TicketCreatedEvent['data'], info: MessageInfo): Promise<void> {
    if (data.title.startsWith(this.prefix)) this.seen.push({ title: data.title, info, ids: activeSpanIds(), keys: Object.keys(data) });
    return Promise.resolve();
  }
}

const tracer = trace.getTracer('test');
const ticket = (title: string) => ticketCreatedData({ id: title, title, price: 10.5, userId: 'u1' });

let spans: RecordedSpans;
beforeAll(() => {
  spans = recordSpans();
});
afterAll(() => spans.stop());

describe.each(transports)('trace propagation on $kind', (transport) => {
  let bus: EventBus;
  let listener: SeeingListener;
  let subscription: Subscription;
  const prefix = `trace-${crypto.randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    bus = await transport.connect();
    listener = new SeeingListener(bus, prefix);
    subscription = listener.listen(`trace-test-${prefix}`);
  });

  afterAll(async () => {
    await subscription.close();
    await bus.close();
  });

  const delivered = async (title: string) => {
    await waitUntil(() => listener.seen.some((seen) => seen.title === title));
    return listener.seen.find((seen) => seen.title === title)!;
  };

  it('continues the publishing span in the listener, the event unchanged', async () => {
    const title = `${prefix}-active`;
    const request = await tracer.startActiveSpan('POST /api/tickets', async (span) => {
      await bus.publish(Subjects.TicketCreated, ticket(title));
      span.end();
      return span.spanContext();
    });
    const seen = await delivered(title);
    expect(seen.info.trace?.traceparent).toBe(`00-${request.traceId}-${request.spanId}-01`);
    expect(seen.ids.trace_id).toBe(request.traceId);
    // The span ends once the handler has settled, just after it recorded the message.
    await waitUntil(async () => (await spans.finished()).some((span) => span.spanContext().spanId === seen.ids.span_id));
    const consumer = (await spans.finished()).find((span) => span.spanContext().spanId === seen.ids.span_id)!;
    expect(consumer.name).toBe('ticket:created process');
    expect(consumer.parentSpanContext?.spanId).toBe(request.spanId);
    expect(seen.keys).toEqual(Object.keys(ticket(title)));
  });

  it('sends the trace context it is given (the outbox entry`s) rather than the active one', async () => {
    const title = `${prefix}-given`;
    const given = { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` };
    await tracer.startActiveSpan('relay', async (span) => {
      await bus.publish(Subjects.TicketCreated, ticket(title), { trace: given });
      span.end();
    });
    const seen = await delivered(title);
    expect(seen.info.trace).toEqual(given);
    expect(seen.ids.trace_id).toBe('a'.repeat(32));
  });

  it('sends no trace context outside any span, and the listener starts a trace of its own', async () => {
    const title = `${prefix}-none`;
    await bus.publish(Subjects.TicketCreated, ticket(title));
    const seen = await delivered(title);
    expect(seen.info.trace).toBeUndefined();
    expect(seen.ids.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.keys).toEqual(Object.keys(ticket(title)));
  });
});
