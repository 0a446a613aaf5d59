import request from 'supertest';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@ticketing/common';
import type * as Api from '@ticketing/common/api';
import { newId, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { ticketOutbox } from '../../events/outbox';
import { Ticket } from '../../models/ticket';
import { createReservedTicket, createTicket } from '../../__test__/fixtures';

const app = buildApp();

useServiceTest(ticketOutbox);

const list = (query = '') => request(app).get(`/api/tickets${query}`);
const ticketsOf = (res: request.Response) => res.body as Api.Ticket[];

const createTickets = async (count: number) => {
  const titles = [];
  for (let n = 1; n <= count; n++) titles.push((await createTicket({ title: `Ticket ${n}` })).title);
  return titles;
};

it('answers an empty list when nothing is for sale', async () => {
  const res = await list().expect(200);
  expect(res.body).toEqual([]);
  expect(res.get('X-Next-Cursor')).toBeUndefined();
});

it('lists available tickets only, newest first, to anyone', async () => {
  await createTicket({ title: 'Old' });
  await createReservedTicket(undefined, { title: 'Reserved' });
  await createTicket({ title: 'New' });

  const res = await list().expect(200);
  expect(ticketsOf(res).map((ticket) => ticket.title)).toEqual(['New', 'Old']);
  expect(ticketsOf(res)[0]).toEqual({
    id: expect.any(String),
    title: 'New',
    price: 20,
    userId: expect.any(String),
    version: 0,
    quantity: 1,
    available: 1,
    onSaleAt: null,
    waitingRoom: null,
    limitPerBuyer: 4,
  });
});

it('pages through with limit and the X-Next-Cursor header', async () => {
  await createTickets(5);

  const first = await list('?limit=2').expect(200);
  const second = await list(`?limit=2&cursor=${first.get('X-Next-Cursor')}`).expect(200);
  const third = await list(`?limit=2&cursor=${second.get('X-Next-Cursor')}`).expect(200);

  const titles = (res: request.Response) => ticketsOf(res).map((ticket) => ticket.title);
  expect(titles(first)).toEqual(['Ticket 5', 'Ticket 4']);
  expect(titles(second)).toEqual(['Ticket 3', 'Ticket 2']);
  expect(titles(third)).toEqual(['Ticket 1']);
  expect(first.get('X-Next-Cursor')).toBe(ticketsOf(first)[1].id);
  expect(third.get('X-Next-Cursor')).toBeUndefined();
});

it('gives no cursor when the last page is exactly full', async () => {
  await createTickets(2);
  const res = await list('?limit=2').expect(200);
  expect(res.body).toHaveLength(2);
  expect(res.get('X-Next-Cursor')).toBeUndefined();
});

it(`answers ${DEFAULT_PAGE_SIZE} tickets by default`, async () => {
  await createTickets(DEFAULT_PAGE_SIZE + 1);
  const res = await list().expect(200);
  expect(res.body).toHaveLength(DEFAULT_PAGE_SIZE);
  expect(res.get('X-Next-Cursor')).toBe(ticketsOf(res)[DEFAULT_PAGE_SIZE - 1].id);
});

it.each([
  ['zero', '?limit=0', 'limit'],
  [`over ${MAX_PAGE_SIZE}`, `?limit=${MAX_PAGE_SIZE + 1}`, 'limit'],
  ['not a number', '?limit=ten', 'limit'],
  ['a fraction', '?limit=1.5', 'limit'],
  ['given twice', '?limit=1&limit=2', 'limit'],
  ['a cursor that is not an id', '?cursor=abc', 'cursor'],
  ['a cursor given twice', '?cursor=507f1f77bcf86cd799439011&cursor=507f1f77bcf86cd799439012', 'cursor'],
])('rejects a limit or cursor that is %s with 400 naming it', async (_case, query, field) => {
  const res = await list(query).expect(400);
  expect((res.body as Api.ApiErrors).errors).toEqual([{ message: expect.any(String), field }]);
});

it('lists a listing while it has units left, and not once they are all held', async () => {
  const partly = await createTicket({ title: 'Partly held', quantity: 5 });
  await Ticket.reserve(partly, { orderId: newId(), quantity: 4 });
  const all = await createTicket({ title: 'All held', quantity: 3 });
  await Ticket.reserve(all, { orderId: newId(), quantity: 3 });

  const res = await list().expect(200);

  expect(ticketsOf(res).map((ticket) => [ticket.title, ticket.available])).toEqual([['Partly held', 1]]);
});
