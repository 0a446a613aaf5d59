import request from 'supertest';
import { OrderStatus, Subjects } from '@ticketing/common';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { app } from '../../app';
import { orderOutbox } from '../../events/outbox';
import { Order } from '../../models/order';
import { createOrder, createTicket } from '../../__test__/fixtures';

const { published } = useServiceTest(orderOutbox);

const placeOrder = (body: unknown, cookie = signinCookie()) =>
  request(app).post('/api/orders').set('Cookie', cookie).send(body as object);

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
    ticket: { id: ticket.id, title: 'Concert', price: 19.99 },
  });
  expect(await Order.findById(res.body.id)).toMatchObject({ userId, status: OrderStatus.Created, version: 0 });
});

it('publishes order:created with what was stored', async () => {
  const userId = newId();
  const ticket = await createTicket({ price: 19.99 });
  const res = await placeOrder({ ticketId: ticket.id }, signinCookie({ id: userId })).expect(201);

  expect(await published(Subjects.OrderCreated)).toEqual([
    {
      id: res.body.id,
      version: 0,
      status: OrderStatus.Created,
      userId,
      expiresAt: res.body.expiresAt,
      ticket: { id: ticket.id, price: 19.99 },
    },
  ]);
});

it('expires after the configured window, 15 minutes by default', async () => {
  const ticket = await createTicket();
  const before = Date.now();
  const byDefault = await placeOrder({ ticketId: ticket.id }).expect(201);
  expect(Date.parse(byDefault.body.expiresAt) - before).toBeGreaterThanOrEqual(15 * 60 * 1000 - 1000);
  expect(Date.parse(byDefault.body.expiresAt) - before).toBeLessThanOrEqual(15 * 60 * 1000 + 1000);

  process.env.EXPIRATION_WINDOW_SECONDS = '5';
  const short = await placeOrder({ ticketId: (await createTicket()).id }).expect(201);
  expect(Date.parse(short.body.expiresAt) - Date.now()).toBeLessThanOrEqual(5000);
  expect(Date.parse(short.body.expiresAt) - Date.now()).toBeGreaterThan(3000);
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
  expect(res.body.errors).toEqual([{ message: expect.any(String), field: 'ticketId' }]);
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
  expect(res.body.ticket.id).toBe(ticket.id);
});

describe('when 20 orders race for one ticket (concurrent)', () => {
  it('lets exactly one through, stores one active order and publishes one order:created', async () => {
    const ticket = await createTicket();

    const results = await Promise.all(
      Array.from({ length: 20 }, () => placeOrder({ ticketId: ticket.id }, signinCookie({ id: newId() }))),
    );

    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(19);
    for (const res of results.filter((r) => r.status === 400)) {
      expect(res.body).toEqual({ errors: [{ message: 'Ticket is already reserved' }] });
    }
    expect(await Order.countDocuments({ ticket: ticket._id, status: OrderStatus.Created })).toBe(1);
    expect(await Order.countDocuments()).toBe(1);
    expect(await published(Subjects.OrderCreated)).toEqual([
      expect.objectContaining({ id: results.find((r) => r.status === 201)!.body.id }),
    ]);
  });
});
