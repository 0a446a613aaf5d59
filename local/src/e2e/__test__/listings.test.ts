import { Types } from 'mongoose';
import type { ApiErrors, Balance, Order, Payment, Ticket } from '@ticketing/common/api';
import { ApiClient, eventually, waitUntil } from '../api-client';
import { figure } from '../figures';
import { range, useSystem } from '../system-under-test';

// Listings with a quantity, on the whole system as `npm start` runs it, driven through the gateway.
// The expiry is longer than the race below takes, so that no order of the race expires during it.
const EXPIRY_SECONDS = 90;
const sut = useSystem({ system: { expirationWindowSeconds: EXPIRY_SECONDS } });
const { signUp } = sut;

const availableOf = async (anyone: ApiClient, ticketId: string) => (await anyone.get<Ticket>(`/api/tickets/${ticketId}`)).body.available;

type Attempt = { buyer: ApiClient; status: number; body: Order | ApiErrors };

/** `n` order requests for one unit each, all at once, spread over `buyers`. */
const race = (buyers: ApiClient[], ticketId: string, n: number): Promise<Attempt[]> =>
  Promise.all(
    range(n).map(async (i) => {
      const buyer = buyers[i % buyers.length];
      const res = await buyer.post<Order | ApiErrors>('/api/orders', { ticketId });
      return { buyer, status: res.status, body: res.body };
    }),
  );

const winnersOf = (attempts: Attempt[]) =>
  attempts.filter((a) => a.status === 201).map((a) => ({ buyer: a.buyer, order: a.body as Order }));
const refusalsOf = (attempts: Attempt[]) => attempts.filter((a) => a.status !== 201);

/** The units of orders stored for the listing that hold them: active or paid. */
const unitsHeld = async (ticketId: string) => {
  const orders = await sut.databases.find<{ status: string; quantity: number }>('orders', 'orders', {
    ticket: new Types.ObjectId(ticketId),
  });
  return orders.filter((order) => order.status !== 'cancelled').reduce((sum, order) => sum + order.quantity, 0);
};

it('sells exactly 100 units of a 100-unit listing to 1,000 concurrent order requests, and sells units again once returned', async () => {
  const seller = await signUp('seller');
  const buyers = await Promise.all(range(100).map((i) => signUp(`buyer${i}`)));
  // Each buyer sends 10 of the requests: a limit of 10 keeps every refusal a "Sold out".
  const ticket = await sut.list(seller, { title: 'Stadium', price: 25, quantity: 100, limitPerBuyer: 10 });

  const startedAt = Date.now();
  const attempts = await race(buyers, ticket.id, 1000);
  const raceMs = Date.now() - startedAt;

  const winners = winnersOf(attempts);
  const refused = refusalsOf(attempts);
  expect(winners).toHaveLength(100);
  expect(refused).toHaveLength(900);
  for (const attempt of refused) expect(attempt).toMatchObject({ status: 400, body: { errors: [{ message: 'Sold out' }] } });
  expect(await unitsHeld(ticket.id)).toBe(100);
  await waitUntil(async () => (await availableOf(seller, ticket.id)) === 0, 30_000, 'tickets to count every unit held');

  // Cancelled units come back at once: 10 cancelled, 10 sold again, and not one more.
  const [cancelled, paid, left] = [winners.slice(0, 10), winners.slice(10, 30), winners.slice(30)];
  for (const { buyer, order } of cancelled) expect((await buyer.delete(`/api/orders/${order.id}`)).status).toBe(204);
  const again = await race(buyers, ticket.id, 40);
  expect(winnersOf(again)).toHaveLength(10);
  expect(refusalsOf(again).every((a) => a.status === 400)).toBe(true);
  expect(await unitsHeld(ticket.id)).toBe(100);

  // Paid units stay sold; the units of the orders left unpaid come back when they expire.
  const payments = await Promise.all(paid.map(({ buyer, order }) => buyer.payWhenKnown(order.id)));
  payments.forEach((payment) => expect(payment.status).toBe(202));
  const unpaid = left.length + winnersOf(again).length;
  await waitUntil(async () => (await unitsHeld(ticket.id)) === paid.length, (EXPIRY_SECONDS + 60) * 1000, 'unpaid orders to expire');
  await waitUntil(async () => (await availableOf(seller, ticket.id)) === unpaid, 30_000, 'tickets to count the units returned');

  const last = await race(buyers, ticket.id, 150);
  expect(winnersOf(last)).toHaveLength(unpaid);
  expect(refusalsOf(last)).toHaveLength(150 - unpaid);
  expect(await unitsHeld(ticket.id)).toBe(100);

  figure(
    `1,000 concurrent order requests on a 100-unit listing without a waiting room in ${raceMs} ms -> 100 × 201 (exactly 100 units), ` +
      `900 × 400 "Sold out"; 10 cancelled -> 10 sold again of 40 requests; ${paid.length} paid, ${unpaid} expired -> ` +
      `${unpaid} sold again of 150 requests; never more than 100 units held`,
  );
}, 400_000);

it("never lets one buyer's concurrent orders take more units of a listing than its limit per buyer", async () => {
  const seller = await signUp('seller');
  const [buyer, other] = [await signUp('hoarder'), await signUp('fan')];
  const ticket = await sut.list(seller, { title: 'Arena', price: 30, quantity: 100, limitPerBuyer: 3 });
  const unitsOf = async (client: ApiClient) => {
    const mine = (await client.get<Order[]>('/api/orders')).body.filter((order) => order.ticket.id === ticket.id);
    return mine.filter((order) => order.status !== 'cancelled').reduce((sum, order) => sum + order.quantity, 0);
  };

  const startedAt = Date.now();
  const attempts = await Promise.all(
    range(40).map((i) => buyer.post<Order | ApiErrors>('/api/orders', { ticketId: ticket.id, quantity: (i % 2) + 1 })),
  );
  const raceMs = Date.now() - startedAt;

  const placed = attempts.filter((res) => res.status === 201).map((res) => res.body as Order);
  const refused = attempts.filter((res) => res.status !== 201);
  for (const res of refused) expect(res).toMatchObject({ status: 400, body: { errors: [{ message: 'Limit per buyer reached' }] } });
  const units = placed.reduce((sum, order) => sum + order.quantity, 0);
  expect(units).toBeLessThanOrEqual(3);
  expect(units).toBeGreaterThanOrEqual(2);
  expect(await unitsHeld(ticket.id)).toBe(units);
  expect(await unitsOf(buyer)).toBe(units);
  expect((await other.post<Order>('/api/orders', { ticketId: ticket.id, quantity: 3 })).status).toBe(201);

  // A paid order keeps counting; a cancelled one gives its units back to the buyer's limit.
  const [kept, ...rest] = placed;
  expect((await buyer.payWhenKnown(kept.id)).status).toBe(202);
  for (const order of rest) expect((await buyer.delete(`/api/orders/${order.id}`)).status).toBe(204);
  const more = 3 - kept.quantity;
  expect((await buyer.post<Order>('/api/orders', { ticketId: ticket.id, quantity: more })).status).toBe(201);
  expect((await buyer.post<ApiErrors>('/api/orders', { ticketId: ticket.id })).body).toEqual({
    errors: [{ message: 'Limit per buyer reached' }],
  });
  expect(await unitsOf(buyer)).toBe(3);

  figure(
    `40 concurrent orders of 1–2 units by one buyer on a listing with a limit of 3 per buyer in ${raceMs} ms -> ` +
      `${placed.length} × 201 (${units} units), ${refused.length} × 400 "Limit per buyer reached"; never above 3`,
  );
}, 120_000);

it('charges a multi-unit order its total in exact cents, and the seller sees it in their balance', async () => {
  const seller = await signUp('seller');
  const buyer = await signUp('buyer');
  const ticket = await sut.list(seller, { title: 'Theatre', price: 12.35, quantity: 10 });

  const order = await eventually(
    async () => {
      const res = await buyer.post<Order>('/api/orders', { ticketId: ticket.id, quantity: 3 });
      return res.status === 404 ? undefined : res;
    },
    15_000,
    'orders to know the listing',
  );
  expect(order.status).toBe(201);
  expect(order.body).toMatchObject({ quantity: 3, price: 12.35, totalCents: 3705 });
  await waitUntil(async () => (await availableOf(seller, ticket.id)) === 7, 15_000, 'tickets to count 3 units held');
  const edit = await seller.put<ApiErrors>(`/api/tickets/${ticket.id}`, { title: 'Theatre', price: 10 });
  expect(edit.status).toBe(400);

  const payment = await buyer.payWhenKnown(order.body.id);
  expect(payment.status).toBe(202);
  const charged = await eventually(
    async () => {
      const res = await buyer.get<Payment>(`/api/payments/${payment.body.id}`);
      return res.body.status === 'succeeded' ? res.body : undefined;
    },
    20_000,
    'the charge to succeed',
  );
  expect(charged.amountCents).toBe(3705);
  await waitUntil(
    async () => (await seller.get<Balance>('/api/balances/me')).body.balanceCents === 3705,
    20_000,
    'the sale in the balance',
  );
  expect((await buyer.get<Order>(`/api/orders/${order.body.id}`)).body).toMatchObject({ status: 'complete', totalCents: 3705 });
}, 120_000);
