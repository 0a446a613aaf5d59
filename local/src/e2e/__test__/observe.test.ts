import type { Order } from '@ticketing/common/api';
import { serviceNames } from '../../system/system';
import { waitUntil } from '../api-client';
import { figure } from '../figures';
import { useSystem } from '../system-under-test';

// The system as `npm start -- --observe` runs it: Prometheus scraping every process, read through its HTTP API.
const sut = useSystem({ system: { observe: true } });

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

const query = async (promql: string): Promise<Sample[]> => {
  const res = await fetch(`${sut.system.metricsUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: Sample[] } };
  expect(body.status).toBe('success');
  return body.data.result;
};

/** The one value of a query that sums to a single series; 0 when nothing matches yet. */
const scalar = async (promql: string): Promise<number> => Number((await query(promql))[0]?.value[1] ?? 0);

const purchase = async () => {
  const seller = await sut.signUp('seller');
  const buyer = await sut.signUp('buyer');
  const listed = await sut.list(seller, { title: 'Observed gig', price: 25 });
  const order = await buyer.post<Order>('/api/orders', { ticketId: listed.id });
  expect(order.status).toBe(201);
  expect((await buyer.payWhenKnown(order.body.id)).status).toBe(202);
  await waitUntil(
    async () => (await buyer.get<Order>(`/api/orders/${order.body.id}`)).body.status === 'complete',
    20_000,
    'order complete',
  );
};

it('scrapes every service, and a purchase moves the order counter and the event handling histogram', async () => {
  await waitUntil(async () => (await query('up == 1')).length === serviceNames.length, 30_000, 'every service to be scraped');
  const apps = (await query('up')).map((sample) => sample.metric.app).sort();
  expect(apps).toEqual([...serviceNames].sort());

  const placed = 'sum(orders_placed_total{outcome="placed"})';
  const handled = (subject: string, queueGroup: string) =>
    `sum(event_handling_seconds_count{subject="${subject}",queue_group="${queueGroup}"})`;
  const before = {
    placed: await scalar(placed),
    paymentsHeardOrder: await scalar(handled('order:created', 'payments-service')),
    ordersHeardPayment: await scalar(handled('payment:created', 'orders-service')),
  };

  const startedAt = Date.now();
  await purchase();
  await waitUntil(
    async () =>
      (await scalar(placed)) === before.placed + 1 &&
      (await scalar(handled('order:created', 'payments-service'))) === before.paymentsHeardOrder + 1 &&
      (await scalar(handled('payment:created', 'orders-service'))) === before.ordersHeardPayment + 1,
    30_000,
    'Prometheus to see the purchase',
  );
  const routes = await query('sum by (app) (http_request_duration_seconds_count{route="/api/orders",method="POST",status="201"})');
  expect(routes.map((sample) => sample.metric.app)).toEqual(['orders']);
  figure(
    `metrics: ${apps.length} services scraped by Prometheus; one purchase seen in orders_placed_total and event_handling_seconds ` +
      `${((Date.now() - startedAt) / 1000).toFixed(1)} s after it began`,
  );
});
