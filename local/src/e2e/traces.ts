import crypto from 'crypto';

/** A span as Jaeger's query API (GET /api/traces/<id>) returns it. */
export interface StoredSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; spanID: string }[];
  processID: string;
  tags: { key: string; value: unknown }[];
}

interface StoredTrace {
  spans: StoredSpan[];
  processes: Record<string, { serviceName: string }>;
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
  const res = await fetch(`${tracesUrl}/api/traces/${traceId}`);
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`GET /api/traces/${traceId}: ${res.status} ${await res.text()}`);
  const { data } = (await res.json()) as { data: StoredTrace[] };
  return data.flatMap((trace) => trace.spans.map((span) => ({ ...span, service: trace.processes[span.processID].serviceName })));
};

export const tagOf = (span: StoredSpan, key: string): unknown => span.tags.find((tag) => tag.key === key)?.value;

const parentIdOf = (span: StoredSpan) => span.references.find((ref) => ref.refType === 'CHILD_OF')?.spanID;

/** The span's ancestors, nearest first, as far as the trace holds them. */
export const ancestorsOf = (span: StoredSpan, spans: ServiceSpan[]): ServiceSpan[] => {
  const byId = new Map(spans.map((each) => [each.spanID, each]));
  const ancestors: ServiceSpan[] = [];
  for (let parent = byId.get(parentIdOf(span) ?? ''); parent; parent = byId.get(parentIdOf(parent) ?? '')) ancestors.push(parent);
  return ancestors;
};

/** The spans whose parent the trace does not hold, besides `rootParentId`'s children: a break in the chain. */
export const orphansOf = (spans: ServiceSpan[], rootParentId: string): ServiceSpan[] => {
  const ids = new Set(spans.map((span) => span.spanID));
  return spans.filter((span) => {
    const parent = parentIdOf(span);
    return parent !== undefined && parent !== rootParentId && !ids.has(parent);
  });
};
