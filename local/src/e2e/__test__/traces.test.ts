import type { Order } from '@ticketing/common/api';
import { startSystem, System } from '../../system/system';
import { ApiClient, eventually, uniqueEmail, waitUntil } from '../api-client';
import { figure } from '../figures';
import { ancestorsOf, clientSpan, orphansOf, ServiceSpan, storedTrace, tagOf } from '../traces';

// The system as `npm start -- --observe` runs it: every service sends its spans to a Zipkin of the test's
// own, read back through Zipkin's query API. The test is the browser: its purchase is one client span,
// whose traceparent each of its requests carries, so the whole purchase is one trace.
const EXPIRY_SECONDS = 4;
let system: System;
/** What orders writes: JSON log lines, its requests' included (LOG_LEVEL=debug). */
const ordersOutput: string[] = [];

beforeAll(async () => {
  system = await startSystem({
    expirationWindowSeconds: EXPIRY_SECONDS,
    observe: true,
    env: {},
    serviceEnv: { orders: { LOG_LEVEL: 'debug' } },
    log: (name, line) => name === 'orders' && ordersOutput.push(line),
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** The consumer span a service makes for each message or job, and the request whose span must be its ancestor. */
const expectedConsumers: { service: string; name: string; causedBy: { service: string; route: string } }[] = [
  { service: 'tickets', name: 'order:created process', causedBy: { service: 'orders', route: 'POST /api/orders' } },
  { service: 'payments', name: 'order:created process', causedBy: { service: 'orders', route: 'POST /api/orders' } },
  { service: 'expiration', name: 'order:created process', causedBy: { service: 'orders', route: 'POST /api/orders' } },
  { service: 'live', name: 'order:created process', causedBy: { service: 'orders', route: 'POST /api/orders' } },
  { service: 'payments', name: 'payment:charge process', causedBy: { service: 'payments', route: 'POST /api/payments' } },
  { service: 'orders', name: 'payment:created process', causedBy: { service: 'payments', route: 'POST /api/payments' } },
  { service: 'balances', name: 'payment:created process', causedBy: { service: 'payments', route: 'POST /api/payments' } },
  { service: 'live', name: 'payment:created process', causedBy: { service: 'payments', route: 'POST /api/payments' } },
  // The second, unpaid order: its expiry job fires, and orders cancels it.
  { service: 'expiration', name: 'order:expiration process', causedBy: { service: 'orders', route: 'POST /api/orders' } },
  { service: 'orders', name: 'expiration:complete process', causedBy: { service: 'orders', route: 'POST /api/orders' } },
  { service: 'tickets', name: 'order:cancelled process', causedBy: { service: 'orders', route: 'POST /api/orders' } },
];

const isServerSpan = (span: ServiceSpan) => span.kind === 'SERVER';
const routeOf = (span: ServiceSpan) => `${tagOf(span, 'http.request.method') ?? tagOf(span, 'http.method')} ${tagOf(span, 'http.route')}`;

/** The nearest HTTP request span above the span: the request that caused it. */
const causingRequest = (span: ServiceSpan, spans: ServiceSpan[]) => ancestorsOf(span, spans).find(isServerSpan);

const hasEveryConsumer = (spans: ServiceSpan[]) =>
  expectedConsumers.every(({ service, name }) => spans.some((span) => span.service === service && span.name === name));

it('follows a purchase and an expiry across every service as one trace', async () => {
  const purchase = clientSpan();
  const signUp = async (name: string) =>
    (await ApiClient.signUp(system.url, uniqueEmail(name))).withHeader('traceparent', purchase.traceparent);
  const seller = await signUp('seller');
  const buyer = await signUp('buyer');
  const first = await seller.post<{ id: string }>('/api/tickets', { title: 'Traced gig', price: 25 });
  const second = await seller.post<{ id: string }>('/api/tickets', { title: 'Traced gig, unpaid', price: 30 });
  const order = (ticketId: string) =>
    eventually(
      async () => {
        const res = await buyer.post<Order>('/api/orders', { ticketId });
        return res.status === 201 ? res.body : undefined;
      },
      15_000,
      'the orders service to know the ticket',
    );
  const paid = await order(first.body.id);
  const unpaid = await order(second.body.id);
  expect((await buyer.payWhenKnown(paid.id)).status).toBe(202);
  const statusOf = async (id: string) => (await buyer.get<Order>(`/api/orders/${id}`)).body.status;
  await waitUntil(async () => (await statusOf(paid.id)) === 'complete', 20_000, 'the paid order to complete');
  await waitUntil(async () => (await statusOf(unpaid.id)) === 'cancelled', EXPIRY_SECONDS * 1000 + 20_000, 'the unpaid order to expire');

  const startedAt = Date.now();
  const spans = await eventually(
    async () => {
      const stored = await storedTrace(system.tracesUrl!, purchase.traceId);
      return hasEveryConsumer(stored) && orphansOf(stored, purchase.spanId).length === 0 ? stored : undefined;
    },
    20_000,
    'every service’s spans in the trace store',
  );
  figure(
    `traces: one purchase and one expiry = ${spans.length} spans from ${new Set(spans.map((span) => span.service)).size} services, complete in the store ${Date.now() - startedAt} ms after the expiry was seen`,
  );

  expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([purchase.traceId]));
  expect([...new Set(spans.map((span) => span.service))].sort()).toEqual(
    expect.arrayContaining(['balances', 'expiration', 'live', 'orders', 'payments', 'tickets']),
  );
  for (const { service, name, causedBy } of expectedConsumers) {
    const consumers = spans.filter((span) => span.service === service && span.name === name);
    for (const consumer of consumers) {
      const request = causingRequest(consumer, spans);
      expect({ consumer: `${service} ${name}`, request: request && `${request.service} ${routeOf(request)}` }).toEqual({
        consumer: `${service} ${name}`,
        request: `${causedBy.service} ${causedBy.route}`,
      });
    }
  }
}, 120_000);

it('writes JSON log lines that carry the trace id of the request that wrote them', async () => {
  const request = clientSpan();
  const buyer = (await ApiClient.signUp(system.url, uniqueEmail('logged'))).withHeader('traceparent', request.traceparent);
  const res = await buyer.withHeader('x-request-id', `logged-${request.spanId}`).get<Order[]>('/api/orders');
  expect(res.status).toBe(200);
  expect(res.headers.get('x-request-id')).toBe(`logged-${request.spanId}`);

  const parsed = () => ordersOutput.map((line) => JSON.parse(line) as Record<string, unknown>);
  await waitUntil(() => parsed().some((line) => line.trace_id === request.traceId), 10_000, 'orders to log the request');
  expect(parsed().find((line) => line.trace_id === request.traceId)).toMatchObject({
    level: 'debug',
    service: 'orders',
    msg: 'request',
    method: 'GET',
    path: '/api/orders',
    status: 200,
    request_id: `logged-${request.spanId}`,
    span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
  });
});
