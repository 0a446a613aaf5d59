import { Writable } from 'stream';
import { trace } from '@opentelemetry/api';
import { createLogger, withRequestId } from '../logger';
import { recordSpans, RecordedSpans } from './record-spans';

/** A destination that keeps each line pino writes. */
const collect = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
};

describe('logger', () => {
  let spans: RecordedSpans;
  beforeAll(() => {
    spans = recordSpans();
  });
  afterAll(() => spans.stop());

  it('writes one JSON object a line with the service, the level, the trace and span ids and the request id', async () => {
    const { lines, stream } = collect();
    const log = createLogger({ OTEL_SERVICE_NAME: 'orders' }, stream);
    const ids = await trace.getTracer('test').startActiveSpan('POST /api/orders', (span) =>
      withRequestId('req-1', async () => {
        await Promise.resolve();
        log.info({ orderId: 'o1' }, 'order placed');
        span.end();
        return span.spanContext();
      }),
    );
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'info',
      service: 'orders',
      msg: 'order placed',
      orderId: 'o1',
      trace_id: ids.traceId,
      span_id: ids.spanId,
      request_id: 'req-1',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('leaves the ids out of lines written outside a request and a span', () => {
    const { lines, stream } = collect();
    createLogger({ OTEL_SERVICE_NAME: 'payments' }, stream).error('stripe is down');
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', service: 'payments', msg: 'stripe is down' });
    expect(Object.keys(line)).not.toEqual(expect.arrayContaining(['trace_id']));
    expect(Object.keys(line)).not.toEqual(expect.arrayContaining(['request_id']));
  });
});
