import { Attributes, context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** The W3C trace context of the request or job that caused a message: what an event or a job carries. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

const tracer = trace.getTracer('@ticketing/common');

/** The active span's trace context, undefined when there is none (tracing off, or outside any span). */
export const currentTrace = (): TraceCarrier | undefined => {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
};

/**
 * Runs `work` in a consumer span whose parent is the carried context (a root span when none), so that what
 * a message or job causes joins the trace of the request that caused it. A throw marks the span failed.
 */
export const continueTrace = <T>(
  name: string,
  carried: TraceCarrier | undefined,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> => {
  const parent = carried ? propagation.extract(ROOT_CONTEXT, carried) : ROOT_CONTEXT;
  return tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
};

/** The trace and span ids of the active span, for log lines; empty outside any span. */
export const activeSpanIds = (): { trace_id?: string; span_id?: string } => {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { trace_id: traceId, span_id: spanId } : {};
};
