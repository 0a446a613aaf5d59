import request from 'supertest';
import { OrderStatus, Subjects } from '@ticketing/common';
import type * as Api from '@ticketing/common/api';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { app } from '../../app';
import { orderOutbox } from '../../events/outbox';
import { Order } from '../../models/order';
import { Ticket } from '../../models/ticket';
import { createOrder, createTicket } from '../../__test__/fixtures';

const { published } = useServiceTest(orderOutbox);

const placeOrder = (body: unknown, cookie = signinCookie()) =>
  request(app)
    .post('/api/orders')
    .set('Cookie', cookie)
    .send(body as object);

afterEach(() => {
  delete process.env.EXPIRATION_WINDOW_SECONDS;
});

it('answers 401 when not signed in', async () => {
  const ticket = await createTicket();
  await request(app).post('/api/orders').send({ ticketId: ticket.id }).expect(401);
  expect(await Order.countDocuments()).toBe(0);
});

it('reserves the ticket for the caller: 201 with the order and its ticket', async () => {
  const userId = newId();
  const ticket = await createTicket({ title: 'Concert', price: 19.99 });

  const res = await placeOrder({ ticketId: ticket.id }, signinCookie({ id: userId })).expect(201);

  expect(res.body).toEqual({
    id: expect.any(String),
    userId,
    status: OrderStatus.Created,
    expiresAt: expect.any(String),
    version: 0,
    price: 19.99,
    quantity: 1,
    totalCents: 1999,
    ticket: { id: ticket.id, title: 'Concert', price: 19.99 },
  });
  expect(await Order.findById((res.body as Api.Order).id)).toMatchObject({ userId, status: OrderStatus.Created, version: 0 });
});

it('publishes order:created with what was stored', async () => {
  const userId = newId();
  const ticket = await createTicket({ price: 19.99 });
  const res = await placeOrder({ ticketId: ticket.id }, signinCookie({ id: userId })).expect(201);
  const order = res.body as Api.Order;

  expect(await published(Subjects.OrderCreated)).toEqual([
    {
      id: order.id,
      version: 0,
      status: OrderStatus.Created,
      userId,
      expiresAt: order.expiresAt,
      ticket: { id: ticket.id, price: 19.99, sellerId: ticket.userId, version: 0 },
      quantity: 1,
      totalCents: 1999,
    },
  ]);
});

it('expires after the configured window, 15 minutes by default', async () => {
  const ticket = await createTicket();
  const before = Date.now();
  const byDefault = (await placeOrder({ ticketId: ticket.id }).expect(201)).body as Api.Order;
  expect(Date.parse(byDefault.expiresAt) - before).toBeGreaterThanOrEqual(15 * 60 * 1000 - 1000);
  expect(Date.parse(byDefault.expiresAt) - before).toBeLessThanOrEqual(15 * 60 * 1000 + 1000);

  process.env.EXPIRATION_WINDOW_SECONDS = '5';
  const short = (await placeOrder({ ticketId: (await createTicket()).id }).expect(201)).body as Api.Order;
  expect(Date.parse(short.expiresAt) - Date.now()).toBeLessThanOrEqual(5000);
  expect(Date.parse(short.expiresAt) - Date.now()).toBeGreaterThan(3000);
});

it("refuses a seller's order for their own ticket with 400, storing and publishing nothing", async () => {
  const sellerId = newId();
  const ticket = await createTicket({ userId: sellerId });

  const res = await placeOrder({ ticketId: ticket.id }, signinCookie({ id: sellerId })).expect(400);

  expect(res.body).toEqual({ errors: [{ message: 'You cannot buy your own ticket' }] });
  expect(await Order.countDocuments()).toBe(0);
  expect(await published(Subjects.OrderCreated)).toEqual([]);
});

it("keeps the order's price when the ticket's price changes afterwards", async () => {
  const userId = newId();
  const ticket = await createTicket({ price: 19.99 });
  const res = await placeOrder({ ticketId: ticket.id }, signinCookie({ id: userId })).expect(201);
  await Ticket.updateOne({ _id: ticket.id }, { $set: { price: 35, version: 1 } });

  const shown = await request(app)
    .get(`/api/orders/${(res.body as Api.Order).id}`)
    .set('Cookie', signinCookie({ id: userId }))
    .expect(200);

  expect(shown.body).toMatchObject({ price: 19.99, ticket: { id: ticket.id, price: 35 } });
});

it('answers 404 for a ticket it has not heard of', async () => {
  const res = await placeOrder({ ticketId: newId() }).expect(404);
  expect(res.body).toEqual({ errors: [{ message: 'Not found' }] });
});

it.each([
  ['missing', {}],
  ['not an ObjectId', { ticketId: 'abc' }],
  ['a number', { ticketId: 12 }],
  ['an operator object', { ticketId: { $ne: null } }],
])('rejects a ticketId that is %s with 400 naming it', async (_case, body) => {
  const res = await placeOrder(body).expect(400);
  expect((res.body as Api.ApiErrors).errors).toEqual([{ message: expect.any(String), field: 'ticketId' }]);
  expect(await Order.countDocuments()).toBe(0);
});

it('refuses a ticket that an active order holds with 400, storing and publishing nothing more', async () => {
  const { ticket } = await createOrder();

  const res = await placeOrder({ ticketId: ticket.id }).expect(400);

  expect(res.body).toEqual({ errors: [{ message: 'Ticket is already reserved' }] });
  expect(await Order.countDocuments()).toBe(1);
  expect(await published(Subjects.OrderCreated)).toHaveLength(1);
});

it('refuses a ticket whose order is paid', async () => {
  const { ticket } = await createOrder({ status: OrderStatus.Complete });
  await placeOrder({ ticketId: ticket.id }).expect(400);
});

it('lets a ticket be ordered again once its order is cancelled', async () => {
  const { ticket } = await createOrder({ status: OrderStatus.Cancelled });
  const res = await placeOrder({ ticketId: ticket.id }).expect(201);
  expect((res.body as Api.Order).ticket.id).toBe(ticket.id);
});

describe('when 20 orders race for one ticket (concurrent)', () => {
  it('lets exactly one through, stores one active order and publishes one order:created', async () => {
    const ticket = await createTicket();

    const results = await Promise.all(Array.from({ length: 20 }, () => placeOrder({ ticketId: ticket.id }, signinCookie({ id: newId() }))));

    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(19);
    for (const res of results.filter((r) => r.status === 400)) {
      expect(res.body).toEqual({ errors: [{ message: 'Ticket is already reserved' }] });
    }
    expect(await Order.countDocuments({ ticket: ticket._id, status: OrderStatus.Created })).toBe(1);
    expect(await Order.countDocuments()).toBe(1);
    expect(await published(Subjects.OrderCreated)).toEqual([
      expect.objectContaining({ id: (results.find((r) => r.status === 201)!.body as Api.Order).id }),
    ]);
  });
});
