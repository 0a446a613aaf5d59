import crypto from 'crypto';

/** A span as Zipkin's API (GET /api/v2/trace/<id>) returns it: names lowercased, tags as strings. */
export interface StoredSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  /** Absent for an internal span. */
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  /** Start, in microseconds since the epoch. */
  timestamp?: number;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/** A span with the name of the service that sent it. */
export type ServiceSpan = StoredSpan & { service: string };

/** A client-side span of the test's own: its W3C traceparent makes the requests sent with it one trace. */
export const clientSpan = () => {
  const traceId = crypto.randomBytes(16).toString('hex');
  const spanId = crypto.randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
};

/** The spans of one trace the store holds so far, each with its service; none while it knows none. */
export const storedTrace = async (tracesUrl: string, traceId: string): Promise<ServiceSpan[]> => {
  const res = await fetch(new URL(`/api/v2/trace/${traceId}`, tracesUrl));
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`GET /api/v2/trace/${traceId}: ${res.status} ${await res.text()}`);
  const spans = (await res.json()) as StoredSpan[];
  return spans.map((span) => ({ ...span, service: span.localEndpoint?.serviceName ?? '' }));
};

export const tagOf = (span: StoredSpan, key: string): string | undefined => span.tags?.[key];

/** The span's ancestors, nearest first, as far as the trace holds them. */
export const ancestorsOf = (span: StoredSpan, spans: ServiceSpan[]): ServiceSpan[] => {
  const byId = new Map(spans.map((each) => [each.id, each]));
  const ancestors: ServiceSpan[] = [];
  for (let parent = byId.get(span.parentId ?? ''); parent; parent = byId.get(parent.parentId ?? '')) ancestors.push(parent);
  return ancestors;
};

/** The spans whose parent the trace does not hold, besides `rootParentId`'s children: a break in the chain. */
export const orphansOf = (spans: ServiceSpan[], rootParentId: string): ServiceSpan[] => {
  const ids = new Set(spans.map((span) => span.id));
  return spans.filter(({ parentId }) => parentId !== undefined && parentId !== rootParentId && !ids.has(parentId));
};
