import { headers as natsHeaders, MsgHdrs } from '@nats-io/transport-node';
import { currentTrace, TraceCarrier } from '../observability/trace-context';

/** The W3C fields a message carries, in the header names (JetStream) and envelope keys (NATS Streaming) the W3C spec uses. */
const TRACE_FIELDS = ['traceparent', 'tracestate'] as const;

/** The envelope key of the trace context in a NATS Streaming message, which has no headers. */
export const TRACE_ENVELOPE_KEY = '_trace';

/** What a publish sends: the context it was given, else the active span's. */
export const traceToSend = (given?: TraceCarrier): TraceCarrier | undefined => given ?? currentTrace();

const carrierOf = (read: (field: (typeof TRACE_FIELDS)[number]) => string | undefined): TraceCarrier | undefined => {
  const entries = TRACE_FIELDS.map((field) => [field, read(field)] as const).filter(([, value]) => typeof value === 'string' && value);
  return entries.length > 0 && entries.some(([field]) => field === 'traceparent') ? Object.fromEntries(entries) : undefined;
};

/** JetStream: the trace context as message headers; none without one. */
export const traceHeaders = (trace: TraceCarrier | undefined): MsgHdrs | undefined => {
  if (!trace?.traceparent) return undefined;
  const headers = natsHeaders();
  for (const field of TRACE_FIELDS) if (trace[field]) headers.set(field, trace[field]);
  return headers;
};

export const traceFromHeaders = (headers: MsgHdrs | undefined): TraceCarrier | undefined =>
  headers ? carrierOf((field) => (headers.has(field) ? headers.get(field) : undefined)) : undefined;

/** NATS Streaming: the event's JSON, with the trace context under TRACE_ENVELOPE_KEY when there is one. */
export const encodeWithTrace = (data: object, trace: TraceCarrier | undefined): string =>
  JSON.stringify(trace?.traceparent ? { ...data, [TRACE_ENVELOPE_KEY]: trace } : data);

/** The event without the envelope's key, and the trace context it carried; a message without one is the event as it is. */
export const decodeWithTrace = <T>(raw: string): { data: T; trace?: TraceCarrier } => {
  const parsed = JSON.parse(raw) as unknown;
  if (typeof parsed !== 'object' || parsed === null || !(TRACE_ENVELOPE_KEY in parsed)) return { data: parsed as T };
  const { [TRACE_ENVELOPE_KEY]: carried, ...data } = parsed as Record<string, unknown>;
  const trace = typeof carried === 'object' && carried !== null ? carrierOf((field) => (carried as TraceCarrier)[field]) : undefined;
  return { data: data as T, trace };
};
