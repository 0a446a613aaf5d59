import request from 'supertest';
import { Subjects } from '@ticketing/common';
import type * as Api from '@ticketing/common/api';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { ticketOutbox } from '../../events/outbox';
import { Ticket } from '../../models/ticket';

const app = buildApp();

const { published } = useServiceTest(ticketOutbox);

const createTicket = (body: unknown, cookie = signinCookie()) =>
  request(app)
    .post('/api/tickets')
    .set('Cookie', cookie)
    .send(body as object);

it('answers 401 when not signed in, and stores nothing', async () => {
  const res = await request(app).post('/api/tickets').send({ title: 'Concert', price: 20 }).expect(401);
  expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
  expect(await Ticket.countDocuments()).toBe(0);
});

it('creates the ticket for the signed-in user: 201, version 0, not reserved', async () => {
  const userId = newId();
  const res = await createTicket({ title: '  Concert  ', price: 19.99 }, signinCookie({ id: userId })).expect(201);

  expect(res.body).toEqual({
    id: expect.any(String),
    title: 'Concert',
    price: 19.99,
    userId,
    version: 0,
    quantity: 1,
    available: 1,
    onSaleAt: null,
    waitingRoom: null,
    limitPerBuyer: 4,
  });
  const stored = await Ticket.findById((res.body as Api.Ticket).id);
  expect(stored).toMatchObject({ title: 'Concert', price: 19.99, userId, version: 0 });
  expect(stored!.holds).toHaveLength(0);
});

it('publishes ticket:created with what was stored', async () => {
  const userId = newId();
  const res = await createTicket({ title: 'Concert', price: 20 }, signinCookie({ id: userId })).expect(201);
  const { id } = res.body as Api.Ticket;

  expect(await published(Subjects.TicketCreated)).toEqual([
    { id, version: 0, title: 'Concert', price: 20, userId, quantity: 1, available: 1, onSaleAt: null, waitingRoom: null, limitPerBuyer: 4 },
  ]);
  expect((await Ticket.findById(id))!.outbox).toHaveLength(0);
});

it.each([
  ['a missing title', { price: 10 }, 'title'],
  ['an empty title', { title: '', price: 10 }, 'title'],
  ['a title of spaces', { title: '   ', price: 10 }, 'title'],
  ['a title over 200 characters', { title: 'x'.repeat(201), price: 10 }, 'title'],
  ['a title that is a number', { title: 42, price: 10 }, 'title'],
  ['a title given as an operator object', { title: { $gt: '' }, price: 10 }, 'title'],
  ['a missing price', { title: 'Concert' }, 'price'],
  ['a zero price', { title: 'Concert', price: 0 }, 'price'],
  ['a negative price', { title: 'Concert', price: -10 }, 'price'],
  ['a price with three decimals', { title: 'Concert', price: 10.001 }, 'price'],
  ['a price given as a string', { title: 'Concert', price: '10' }, 'price'],
  ['a price given as an operator object', { title: 'Concert', price: { $gt: 0 } }, 'price'],
  ['a price below what Stripe charges (0.49)', { title: 'Concert', price: 0.49 }, 'price'],
  ['a price of one cent', { title: 'Concert', price: 0.01 }, 'price'],
  ['a price above what Stripe charges (1,000,000)', { title: 'Concert', price: 1_000_000 }, 'price'],
  ['a price too small for two decimals', { title: 'Concert', price: 1e-7 }, 'price'],
])('rejects %s with 400 naming the field, storing and publishing nothing', async (_case, body, field) => {
  const res = await createTicket(body).expect(400);

  expect((res.body as Api.ApiErrors).errors).toEqual([{ message: expect.any(String), field }]);
  expect(await Ticket.countDocuments()).toBe(0);
  expect(await published(Subjects.TicketCreated)).toEqual([]);
});

it("accepts the bounds: a 200-character title, and Stripe's 0.50 and 999,999.99", async () => {
  await createTicket({ title: 'x'.repeat(200), price: 0.5 }).expect(201);
  await createTicket({ title: 'Final', price: 999_999.99 }).expect(201);
  expect(await Ticket.countDocuments()).toBe(2);
});

it('ignores fields the client may not set', async () => {
  const res = await createTicket({ title: 'Concert', price: 10, userId: 'someone-else', version: 7, orderId: newId() });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ version: 0 });
  const ticket = res.body as Api.Ticket;
  expect(ticket.userId).not.toBe('someone-else');
  expect(ticket).not.toHaveProperty('orderId');
});

describe('listing fields', () => {
  it('stores quantity, onSaleAt and waitingRoom, with every unit available, and publishes them', async () => {
    const onSaleAt = '2027-03-01T18:00:00.000Z';
    const res = await createTicket({ title: 'Festival', price: 45.5, quantity: 250, onSaleAt, waitingRoom: { activeBuyers: 20 } }).expect(
      201,
    );

    const ticket = res.body as Api.Ticket;
    expect(ticket).toMatchObject({ quantity: 250, available: 250, onSaleAt, waitingRoom: { activeBuyers: 20 } });
    expect(await published(Subjects.TicketCreated)).toEqual([
      expect.objectContaining({ id: ticket.id, quantity: 250, available: 250, onSaleAt, waitingRoom: { activeBuyers: 20 } }),
    ]);
  });

  it('takes an onSaleAt with an offset as the same instant, and null as on sale now', async () => {
    const offset = await createTicket({ title: 'A', price: 5, onSaleAt: '2027-03-01T19:00:00+01:00' }).expect(201);
    expect((offset.body as Api.Ticket).onSaleAt).toBe('2027-03-01T18:00:00.000Z');
    const none = await createTicket({ title: 'B', price: 5, onSaleAt: null, waitingRoom: null }).expect(201);
    expect(none.body).toMatchObject({ onSaleAt: null, waitingRoom: null, quantity: 1 });
  });

  it.each([
    ['quantity', 0],
    ['quantity', 10_001],
    ['quantity', 2.5],
    ['quantity', '5'],
    ['quantity', null],
    ['onSaleAt', 'tomorrow'],
    ['onSaleAt', '2027-03-01'],
    ['onSaleAt', '2027-03-01T18:00:00'],
    ['onSaleAt', '2027-13-45T18:00:00Z'],
    ['onSaleAt', 1_800_000_000_000],
    ['waitingRoom', { activeBuyers: 0 }],
    ['waitingRoom', { activeBuyers: 10_001 }],
    ['waitingRoom', { activeBuyers: '5' }],
    ['waitingRoom', {}],
    ['waitingRoom', { activeBuyers: 5, admitAll: true }],
    ['waitingRoom', 5],
    ['waitingRoom', [{ activeBuyers: 5 }]],
    ['limitPerBuyer', 0],
    ['limitPerBuyer', 11],
    ['limitPerBuyer', 2.5],
    ['limitPerBuyer', '4'],
    ['limitPerBuyer', null],
  ])('refuses %s %j with 400 naming it, storing nothing', async (field, value) => {
    const res = await createTicket({ title: 'Concert', price: 20, [field]: value }).expect(400);
    expect((res.body as Api.ApiErrors).errors).toEqual([{ message: expect.any(String), field }]);
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it('takes the bounds: 1 and 10,000 units, 1 and 10,000 active buyers, a limit per buyer of 1 and 10', async () => {
    await createTicket({ title: 'A', price: 5, quantity: 1, waitingRoom: { activeBuyers: 1 }, limitPerBuyer: 1 }).expect(201);
    await createTicket({ title: 'B', price: 5, quantity: 10_000, waitingRoom: { activeBuyers: 10_000 }, limitPerBuyer: 10 }).expect(201);
  });

  it('stores the limit per buyer the seller sets, answers it and publishes it', async () => {
    const res = await createTicket({ title: 'Festival', price: 20, quantity: 100, limitPerBuyer: 2 }).expect(201);

    expect(res.body).toMatchObject({ limitPerBuyer: 2 });
    expect(await published(Subjects.TicketCreated)).toEqual([
      expect.objectContaining({ id: (res.body as Api.Ticket).id, limitPerBuyer: 2 }),
    ]);
  });
});
