import { trace } from '@opentelemetry/api';
import { activeSpanIds, continueTrace, currentTrace } from '../trace-context';
import { recordSpans, RecordedSpans } from './record-spans';

const tracer = trace.getTracer('test');

describe('trace context', () => {
  let spans: RecordedSpans;
  beforeAll(() => {
    spans = recordSpans();
  });
  afterAll(() => spans.stop());

  it('is undefined outside any span', () => {
    expect(currentTrace()).toBeUndefined();
    expect(activeSpanIds()).toEqual({});
  });

  it('carries the active span as a W3C traceparent', () => {
    const { traceId, spanId, carried } = tracer.startActiveSpan('request', (span) => {
      const result = { ...span.spanContext(), carried: currentTrace() };
      span.end();
      return result;
    });
    expect(carried?.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('continues a carried trace in a consumer span, child of the span that carried it', async () => {
    const { carried, request } = tracer.startActiveSpan('request', (span) => {
      span.end();
      return { carried: currentTrace(), request: span.spanContext() };
    });
    const inside = await continueTrace('ticket:created process', carried, { 'messaging.destination.name': 'ticket:created' }, () =>
      Promise.resolve(activeSpanIds()),
    );
    const consumer = (await spans.finished()).find((span) => span.name === 'ticket:created process')!;
    expect(consumer.spanContext().traceId).toBe(request.traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(request.spanId);
    expect(inside).toEqual({ trace_id: request.traceId, span_id: consumer.spanContext().spanId });
  });

  it('starts a trace of its own when nothing was carried, and marks a failure', async () => {
    await expect(continueTrace('job process', undefined, {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const job = (await spans.finished()).find((span) => span.name === 'job process')!;
    expect(job.parentSpanContext).toBeUndefined();
    expect(job.status).toEqual({ code: 2, message: 'boom' });
  });
});
