import { Types } from 'mongoose';
import { sleep } from '@ticketing/common/testing';
import type { ApiErrors, BalanceEntry, MyListing, Order, Ticket } from '@ticketing/common/api';
import { ApiClient, eventually, waitUntil } from '../api-client';
import { useSystem } from '../system-under-test';

// The whole system as `npm start` runs it (own servers, short expiry), driven through the gateway.
const EXPIRY_SECONDS = 6;
const sut = useSystem({ system: { expirationWindowSeconds: EXPIRY_SECONDS } });
const { signUp } = sut;

const listTicket = (seller: ApiClient, title = 'Gig', price = 20) => sut.list(seller, { title, price });

/** The orders service learns of a new ticket through ticket:created; order once it has. */
const orderWhenReplicated = (buyer: ApiClient, ticketId: string) =>
  eventually(
    async () => {
      const res = await buyer.post<Order>('/api/orders', { ticketId });
      return res.status === 404 ? undefined : res;
    },
    15_000,
    'the orders service to know the ticket',
  );

const isAvailable = async (anyone: ApiClient, ticketId: string) => {
  const res = await anyone.get<Ticket[]>('/api/tickets?limit=100');
  return res.body.some((ticket) => ticket.id === ticketId);
};

const orderStatus = async (buyer: ApiClient, orderId: string) => (await buyer.get<Order>(`/api/orders/${orderId}`)).body.status;

it('sells a ticket: order, pay, order complete, ticket no longer available', async () => {
  const seller = await signUp('seller');
  const buyer = await signUp('buyer');
  const ticket = await listTicket(seller, 'Concert', 19.99);
  expect(await isAvailable(buyer, ticket.id)).toBe(true);

  const order = await orderWhenReplicated(buyer, ticket.id);
  expect(order.status).toBe(201);
  expect(order.body).toMatchObject({ status: 'created', ticket: { id: ticket.id, title: 'Concert', price: 19.99 } });

  // The tickets service reserves the ticket when order:created arrives.
  await waitUntil(async () => !(await isAvailable(buyer, ticket.id)), 15_000, 'the ticket to be reserved');
  const edit = await seller.put<ApiErrors>(`/api/tickets/${ticket.id}`, { title: 'Concert', price: 5 });
  expect(edit.status).toBe(400);

  const payment = await buyer.payWhenKnown(order.body.id);
  expect(payment.status).toBe(202);

  await waitUntil(async () => (await orderStatus(buyer, order.body.id)) === 'complete', 15_000, 'order complete');
  const again = await buyer.post<ApiErrors>('/api/payments', { orderId: order.body.id, token: 'tok_visa' });
  expect(again.status).toBe(400);

  // The seller sees the unit sold on My listings (tickets counts payment:created) and the sale by its listing.
  const listing = await eventually(async () => {
    const [mine] = (await seller.get<MyListing[]>('/api/tickets/mine')).body;
    return mine?.sold === 1 ? mine : undefined;
  });
  expect(listing).toMatchObject({ id: ticket.id, available: 0, held: 0, sold: 1 });
  const entries = await eventually(async () => {
    const found = (await seller.get<BalanceEntry[]>('/api/balances/me/entries')).body;
    return found.length > 0 ? found : undefined;
  });
  expect(entries).toEqual([
    expect.objectContaining({ kind: 'sale', amountCents: 1999, ticket: { id: ticket.id, title: 'Concert' }, quantity: 1 }),
  ]);

  // A complete order keeps the ticket, even after its expiry window has passed.
  await sleep(EXPIRY_SECONDS * 1000 + 1500);
  expect(await orderStatus(buyer, order.body.id)).toBe('complete');
  expect(await isAvailable(buyer, ticket.id)).toBe(false);
  const third = await signUp('latecomer');
  expect((await third.post('/api/orders', { ticketId: ticket.id })).status).toBe(400);
}, 60_000);

it('expires an unpaid order, frees the ticket, and lets someone else buy it', async () => {
  const seller = await signUp('seller');
  const slowBuyer = await signUp('slow');
  const ticket = await listTicket(seller, 'Play', 30);

  const order = await orderWhenReplicated(slowBuyer, ticket.id);
  expect(order.status).toBe(201);
  const placedAt = Date.now();

  await waitUntil(async () => (await orderStatus(slowBuyer, order.body.id)) === 'cancelled', 30_000, 'expiry');
  expect(Date.now() - placedAt).toBeGreaterThanOrEqual(EXPIRY_SECONDS * 1000 - 1000);
  expect((await slowBuyer.get<Order>(`/api/orders/${order.body.id}`)).body.cancelReason).toBe('expired');
  await waitUntil(async () => await isAvailable(seller, ticket.id), 15_000, 'the ticket to be released');

  // Once payments has seen order:cancelled too, paying is refused before any charge.
  await waitUntil(
    async () => (await sut.databases.count('payments', 'orders', { _id: new Types.ObjectId(order.body.id), status: 'cancelled' })) === 1,
    15_000,
    'payments to see the cancellation',
  );
  const late = await slowBuyer.payWhenKnown(order.body.id);
  expect(late.status).toBe(400);

  const nextBuyer = await signUp('next');
  const second = await nextBuyer.post<Order>('/api/orders', { ticketId: ticket.id });
  expect(second.status).toBe(201);
  expect((await nextBuyer.payWhenKnown(second.body.id)).status).toBe(202);
  await waitUntil(async () => (await orderStatus(nextBuyer, second.body.id)) === 'complete', 15_000, 'complete');
}, 60_000);

it('frees the ticket when the buyer cancels', async () => {
  const seller = await signUp('seller');
  const buyer = await signUp('buyer');
  const ticket = await listTicket(seller, 'Match', 55.5);

  const order = await orderWhenReplicated(buyer, ticket.id);
  expect((await buyer.delete(`/api/orders/${order.body.id}`)).status).toBe(204);
  expect((await buyer.get<Order>(`/api/orders/${order.body.id}`)).body).toMatchObject({ status: 'cancelled', cancelReason: 'buyer' });

  const other = await signUp('other');
  expect((await other.post('/api/orders', { ticketId: ticket.id })).status).toBe(201);
}, 60_000);

it('carries a ticket edit to the orders service replica', async () => {
  const seller = await signUp('seller');
  const buyer = await signUp('buyer');
  const ticket = await listTicket(seller, 'Opera', 40);
  const edited = await seller.put<Ticket>(`/api/tickets/${ticket.id}`, { title: 'Opera (matinee)', price: 35.75 });
  expect(edited.status).toBe(200);
  expect(edited.body.version).toBe(1);

  const order = await eventually(
    async () => {
      const res = await buyer.post<Order>('/api/orders', { ticketId: ticket.id });
      if (res.status === 201 && res.body.ticket.price !== 35.75) {
        await buyer.delete(`/api/orders/${res.body.id}`);
        return undefined;
      }
      return res.status === 201 ? res.body : undefined;
    },
    15_000,
    'the edit to reach the orders service',
  );
  expect(order.ticket).toEqual({ id: ticket.id, title: 'Opera (matinee)', price: 35.75 });
}, 60_000);

it("refuses a seller's order for their own ticket, once the orders service knows the seller", async () => {
  const seller = await signUp('seller');
  const ticket = await listTicket(seller, 'My own', 25);

  const res = await orderWhenReplicated(seller, ticket.id);

  expect(res.status).toBe(400);
  expect((res.body as unknown as ApiErrors).errors).toEqual([{ message: 'You cannot buy your own ticket' }]);
  expect(await sut.databases.count('orders', 'orders', { ticket: new Types.ObjectId(ticket.id) })).toBe(0);
}, 60_000);
