import request from 'supertest';
import { MAX_PAGE_SIZE, Subjects } from '@ticketing/common';
import type * as Api from '@ticketing/common/api';
import { newId, paymentCreatedData, signinCookie, useTestDatabase } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { balancesBus, Delivered, deliverAll, refundOf, sale } from '../../__test__/events';

const app = buildApp();

useTestDatabase();
const bus = balancesBus();

const showBalance = (cookie?: string[]) => {
  const req = request(app).get('/api/balances/me');
  return cookie ? req.set('Cookie', cookie) : req;
};
const listEntries = (cookie: string[] | undefined, query = '') => {
  const req = request(app).get(`/api/balances/me/entries${query}`);
  return cookie ? req.set('Cookie', cookie) : req;
};

it('refuses a signed-out caller', async () => {
  await showBalance().expect(401);
  await listEntries(undefined).expect(401);
});

it('shows 0 to a seller who has sold nothing', async () => {
  const userId = newId();

  const res = await showBalance(signinCookie({ id: userId })).expect(200);

  expect(res.body).toEqual({ userId, balanceCents: 0, currency: 'usd', updatedAt: null });
  expect((await listEntries(signinCookie({ id: userId })).expect(200)).body).toEqual([]);
});

it("shows the caller's own balance and entries, never another seller's", async () => {
  const userId = newId();
  const sold = sale(userId, 1999);
  await deliverAll(bus, [sold, sale(userId, 500), refundOf(sold), sale(newId(), 10_000)]);

  const balance = (await showBalance(signinCookie({ id: userId })).expect(200)).body as Api.Balance;
  const entries = (await listEntries(signinCookie({ id: userId })).expect(200)).body as Api.BalanceEntry[];

  expect(balance).toEqual({ userId, balanceCents: 500, currency: 'usd', updatedAt: expect.any(String) });
  expect(entries.map((entry) => [entry.kind, entry.amountCents])).toEqual([
    ['refund', -1999],
    ['sale', 500],
    ['sale', 1999],
  ]);
  expect(entries[2]).toEqual({
    id: `payment:created:${sold.data.id}`,
    seq: 1,
    kind: 'sale',
    amountCents: 1999,
    currency: 'usd',
    paymentId: sold.data.id,
    orderId: sold.data.orderId,
    ticket: sold.data.ticket,
    quantity: 1,
    createdAt: expect.any(String),
  });
});

it('names what each entry sold, the listing and its units, as the payment events carry them', async () => {
  const userId = newId();
  const ticket = { id: newId(), title: 'Opera night' };
  const sold: Delivered = { subject: Subjects.PaymentCreated, data: paymentCreatedData({ sellerId: userId, ticket, quantity: 3 }) };
  await deliverAll(bus, [sold, refundOf(sold)]);

  const entries = (await listEntries(signinCookie({ id: userId })).expect(200)).body as Api.BalanceEntry[];

  expect(entries.map(({ kind, ticket, quantity }) => ({ kind, ticket, quantity }))).toEqual([
    { kind: 'refund', ticket, quantity: 3 },
    { kind: 'sale', ticket, quantity: 3 },
  ]);
});

it('shows an entry of an event that named no listing without one', async () => {
  const userId = newId();
  await bus.deliver(Subjects.PaymentCreated, paymentCreatedData({ sellerId: userId, ticket: undefined, quantity: undefined }));

  const [entry] = (await listEntries(signinCookie({ id: userId })).expect(200)).body as Api.BalanceEntry[];

  expect(entry).not.toHaveProperty('ticket');
  expect(entry).not.toHaveProperty('quantity');
});

it('pages through the entries, newest first, with limit and X-Next-Cursor', async () => {
  const userId = newId();
  const cookie = signinCookie({ id: userId });
  await deliverAll(
    bus,
    [1, 2, 3, 4, 5].map((cents) => sale(userId, cents)),
  );

  const first = await listEntries(cookie, '?limit=2').expect(200);
  const second = await listEntries(cookie, `?limit=2&cursor=${first.get('X-Next-Cursor')}`).expect(200);
  const third = await listEntries(cookie, `?limit=2&cursor=${second.get('X-Next-Cursor')}`).expect(200);

  const amounts = (res: request.Response) => (res.body as Api.BalanceEntry[]).map((entry) => entry.amountCents);
  expect([amounts(first), amounts(second), amounts(third)]).toEqual([[5, 4], [3, 2], [1]]);
  expect(third.get('X-Next-Cursor')).toBeUndefined();
});

it('rejects a limit or cursor that is not a whole number in range', async () => {
  const cookie = signinCookie();
  for (const query of ['?limit=0', `?limit=${MAX_PAGE_SIZE + 1}`, '?limit=x', '?limit=1&limit=2', '?cursor=abc', '?cursor=0']) {
    await listEntries(cookie, query).expect(400);
  }
});
