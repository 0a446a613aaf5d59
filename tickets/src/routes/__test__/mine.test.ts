import request from 'supertest';
import { Subjects } from '@ticketing/common';
import type * as Api from '@ticketing/common/api';
import { newId, paymentCreatedData, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { PaymentCreatedListener } from '../../events/listeners/payment-created-listener';
import { ticketOutbox } from '../../events/outbox';
import { Ticket, TicketDoc } from '../../models/ticket';
import { createTicket } from '../../__test__/fixtures';

const app = buildApp();

const { bus } = useServiceTest(ticketOutbox);
new PaymentCreatedListener(bus).listen('test');

const mine = (cookie?: string[], query = '') => {
  const req = request(app).get(`/api/tickets/mine${query}`);
  return cookie ? req.set('Cookie', cookie) : req;
};
const listingsOf = (res: request.Response) => res.body as Api.MyListing[];

/** An order of `quantity` units holding the listing, as order:created leaves it; the listing as it is then. */
const hold = async (ticket: TicketDoc, quantity: number) => {
  const orderId = newId();
  const held = await Ticket.reserve(ticket, { orderId, quantity });
  if (!held) throw new Error('could not reserve the test listing');
  return { orderId, ticket: held };
};

const pay = (ticket: TicketDoc, orderId: string, quantity: number) =>
  bus.deliver(Subjects.PaymentCreated, paymentCreatedData({ orderId, ticket: { id: ticket.id, title: ticket.title }, quantity }));

it('answers 401 to a caller who is not signed in', async () => {
  const res = await mine().expect(401);
  expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
});

it("lists the caller's own listings, sold out included, newest first, and no one else's", async () => {
  const userId = newId();
  const soldOut = await createTicket({ userId, title: 'Sold out', quantity: 1 });
  await hold(soldOut, 1);
  await createTicket({ userId, title: 'On sale' });
  await createTicket({ title: "Someone else's" });

  const res = await mine(signinCookie({ id: userId })).expect(200);

  expect(listingsOf(res).map(({ title, available }) => [title, available])).toEqual([
    ['On sale', 1],
    ['Sold out', 0],
  ]);
  expect(listingsOf(res)[1]).toEqual({
    id: soldOut.id,
    title: 'Sold out',
    price: 20,
    userId,
    version: 1,
    quantity: 1,
    available: 0,
    onSaleAt: null,
    waitingRoom: null,
    limitPerBuyer: 4,
    held: 1,
    sold: 0,
  });
});

it('splits the units taken into held (unpaid orders) and sold (paid ones)', async () => {
  const userId = newId();
  const listing = await createTicket({ userId, quantity: 6 });
  const paid = await hold(listing, 2);
  const unpaid = await hold(paid.ticket, 3);
  await pay(unpaid.ticket, paid.orderId, 2);
  // A payment for an order of another listing counts on that one only.
  await pay(await createTicket(), newId(), 1);

  const [shown] = listingsOf(await mine(signinCookie({ id: userId })).expect(200));

  expect(shown).toMatchObject({ quantity: 6, available: 1, held: 3, sold: 2 });
});

it('counts a payment once however often it arrives, whether it comes before or after its order holds units', async () => {
  const userId = newId();
  const listing = await createTicket({ userId, quantity: 4 });
  const orderId = newId();
  await pay(listing, orderId, 2);
  await pay(listing, orderId, 2);
  await Ticket.reserve(listing, { orderId, quantity: 2 });

  const [shown] = listingsOf(await mine(signinCookie({ id: userId })).expect(200));

  expect(shown).toMatchObject({ available: 2, held: 0, sold: 2 });
});

it('no longer counts as sold a paid order that gave its units back (rejected, then refunded)', async () => {
  const userId = newId();
  const listing = await createTicket({ userId, quantity: 2 });
  const paid = await hold(listing, 2);
  await pay(paid.ticket, paid.orderId, 2);
  await Ticket.release(paid.ticket, paid.orderId);

  const [shown] = listingsOf(await mine(signinCookie({ id: userId })).expect(200));

  expect(shown).toMatchObject({ available: 2, held: 0, sold: 0 });
});

it('pages through with limit and the X-Next-Cursor header', async () => {
  const userId = newId();
  for (const title of ['First', 'Second', 'Third']) await createTicket({ userId, title });

  const first = await mine(signinCookie({ id: userId }), '?limit=2').expect(200);
  const second = await mine(signinCookie({ id: userId }), `?limit=2&cursor=${first.get('X-Next-Cursor')}`).expect(200);

  expect(listingsOf(first).map(({ title }) => title)).toEqual(['Third', 'Second']);
  expect(listingsOf(second).map(({ title }) => title)).toEqual(['First']);
  expect(second.get('X-Next-Cursor')).toBeUndefined();
});

it('rejects a limit or cursor that is not valid with 400 naming it', async () => {
  const res = await mine(signinCookie(), '?limit=0&cursor=abc').expect(400);
  expect((res.body as Api.ApiErrors).errors.map(({ field }) => field)).toEqual(['limit', 'cursor']);
});
