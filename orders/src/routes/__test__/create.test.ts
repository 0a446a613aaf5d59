import request from 'supertest';
import { OrderStatus, signAdmissionToken, signUserToken, Subjects } from '@ticketing/common';
import type * as Api from '@ticketing/common/api';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { orderOutbox } from '../../events/outbox';
import { Order } from '../../models/order';
import { Ticket } from '../../models/ticket';
import { BuyerEntry, buyerKey } from '../../models/buyer-entry';
import { buyerUnits, stock } from '../../services/stock';
import { createOrder, createTicket } from '../../__test__/fixtures';

const app = buildApp();

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

it('refuses with 400 an order whose total is more than a card can be charged, holding nothing', async () => {
  const ticket = await createTicket({ price: 999_999.99, quantity: 4 });

  const res = await placeOrder({ ticketId: ticket.id, quantity: 2 }).expect(400);

  expect(res.body).toEqual({ errors: [{ message: 'Order total exceeds the most a card can be charged ($999,999.99)' }] });
  expect(await Order.countDocuments()).toBe(0);
  expect(await stock.held(ticket.id)).toBe(0);
  await placeOrder({ ticketId: ticket.id, quantity: 1 }).expect(201);
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

  expect(res.body).toEqual({ errors: [{ message: 'Sold out' }] });
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
      expect(res.body).toEqual({ errors: [{ message: 'Sold out' }] });
    }
    expect(await Order.countDocuments({ ticket: ticket._id, status: OrderStatus.Created })).toBe(1);
    expect(await Order.countDocuments()).toBe(1);
    expect(await published(Subjects.OrderCreated)).toEqual([
      expect.objectContaining({ id: (results.find((r) => r.status === 201)!.body as Api.Order).id }),
    ]);
  });
});

describe('listings with a quantity', () => {
  it('takes quantity 1 by default, and charges quantity × price in exact cents', async () => {
    const ticket = await createTicket({ price: 19.99, quantity: 10 });

    const single = (await placeOrder({ ticketId: ticket.id }).expect(201)).body as Api.Order;
    const triple = (await placeOrder({ ticketId: ticket.id, quantity: 3 }).expect(201)).body as Api.Order;

    expect(single).toMatchObject({ quantity: 1, price: 19.99, totalCents: 1999 });
    expect(triple).toMatchObject({ quantity: 3, price: 19.99, totalCents: 5997 });
    expect(await published(Subjects.OrderCreated)).toEqual([
      expect.objectContaining({ id: single.id, quantity: 1, totalCents: 1999 }),
      expect.objectContaining({ id: triple.id, quantity: 3, totalCents: 5997, ticket: expect.objectContaining({ price: 19.99 }) }),
    ]);
    expect(await stock.held(ticket.id)).toBe(4);
  });

  it.each([
    ['0', 0],
    ['5, more than one order may take', 5],
    ['not whole', 1.5],
    ['a string', '2'],
    ['null', null],
  ])('refuses a quantity that is %s with 400 naming it', async (_case, quantity) => {
    const ticket = await createTicket({ quantity: 10 });
    const res = await placeOrder({ ticketId: ticket.id, quantity }).expect(400);
    expect((res.body as Api.ApiErrors).errors).toEqual([{ message: 'quantity must be a whole number from 1 to 4', field: 'quantity' }]);
    expect(await Order.countDocuments()).toBe(0);
  });

  it('takes 4 units, the most one order may', async () => {
    const ticket = await createTicket({ quantity: 4 });
    await placeOrder({ ticketId: ticket.id, quantity: 4 }).expect(201);
  });

  it('answers "Not enough tickets" when fewer are left than asked, and "Sold out" when none are', async () => {
    const ticket = await createTicket({ quantity: 5 });
    await placeOrder({ ticketId: ticket.id, quantity: 3 }).expect(201);

    const short = await placeOrder({ ticketId: ticket.id, quantity: 3 }).expect(400);
    expect(short.body).toEqual({ errors: [{ message: 'Not enough tickets' }] });
    await placeOrder({ ticketId: ticket.id, quantity: 2 }).expect(201);
    const none = await placeOrder({ ticketId: ticket.id }).expect(400);
    expect(none.body).toEqual({ errors: [{ message: 'Sold out' }] });

    expect(await Order.countDocuments()).toBe(2);
    expect(await stock.held(ticket.id)).toBe(5);
  });

  it('gives cancelled units back: they can be bought again', async () => {
    const userId = newId();
    const ticket = await createTicket({ quantity: 4 });
    const order = (await placeOrder({ ticketId: ticket.id, quantity: 4 }, signinCookie({ id: userId })).expect(201)).body as Api.Order;
    await placeOrder({ ticketId: ticket.id }).expect(400);

    await request(app)
      .delete(`/api/orders/${order.id}`)
      .set('Cookie', signinCookie({ id: userId }))
      .expect(204);

    expect(await stock.held(ticket.id)).toBe(0);
    await placeOrder({ ticketId: ticket.id, quantity: 4 }).expect(201);
  });

  it('sells exactly the units there are when 40 buyers race for 10', async () => {
    const ticket = await createTicket({ quantity: 10 });

    const results = await Promise.all(Array.from({ length: 40 }, () => placeOrder({ ticketId: ticket.id })));

    expect(results.filter((res) => res.status === 201)).toHaveLength(10);
    const refused = results.filter((res) => res.status !== 201);
    expect(refused).toHaveLength(30);
    for (const res of refused) expect(res.body).toEqual({ errors: [{ message: 'Sold out' }] });
    expect(await Order.countDocuments({ ticket: ticket._id })).toBe(10);
    expect(await stock.held(ticket.id)).toBe(10);
  });
});

describe('the limit per buyer', () => {
  const buyer = () => {
    const id = newId();
    return { id, cookie: signinCookie({ id }) };
  };
  const refusedForLimit = { errors: [{ message: 'Limit per buyer reached' }] };

  it("refuses with 400 an order that would take a buyer's units on the listing over it, holding nothing for it", async () => {
    const ticket = await createTicket({ quantity: 100, limitPerBuyer: 4 });
    const { id, cookie } = buyer();
    await placeOrder({ ticketId: ticket.id, quantity: 3 }, cookie).expect(201);

    const over = await placeOrder({ ticketId: ticket.id, quantity: 2 }, cookie).expect(400);
    expect(over.body).toEqual(refusedForLimit);
    await placeOrder({ ticketId: ticket.id, quantity: 1 }, cookie).expect(201);
    expect((await placeOrder({ ticketId: ticket.id }, cookie).expect(400)).body).toEqual(refusedForLimit);

    expect(await Order.countDocuments({ userId: id })).toBe(2);
    expect(await stock.held(ticket.id)).toBe(4);
    expect(await buyerUnits.held(buyerKey(ticket.id, id))).toBe(4);
    await placeOrder({ ticketId: ticket.id, quantity: 4 }, buyer().cookie).expect(201);
  });

  it('counts paid orders, and gives a cancelled order its units back', async () => {
    const ticket = await createTicket({ quantity: 100, limitPerBuyer: 2 });
    const { id, cookie } = buyer();
    await createOrder({ ticket, userId: id, status: OrderStatus.Complete });
    const open = (await placeOrder({ ticketId: ticket.id }, cookie).expect(201)).body as Api.Order;
    await placeOrder({ ticketId: ticket.id }, cookie).expect(400);

    await request(app).delete(`/api/orders/${open.id}`).set('Cookie', cookie).expect(204);

    await placeOrder({ ticketId: ticket.id }, cookie).expect(201);
    expect(await buyerUnits.held(buyerKey(ticket.id, id))).toBe(2);
  });

  it("holds whatever number of one buyer's orders race: never above it", async () => {
    const ticket = await createTicket({ quantity: 100, limitPerBuyer: 4 });
    const { id, cookie } = buyer();

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => placeOrder({ ticketId: ticket.id, quantity: (i % 2) + 1 }, cookie)),
    );

    const placed = results.filter((res) => res.status === 201).map((res) => res.body as Api.Order);
    const units = placed.reduce((sum, order) => sum + order.quantity, 0);
    expect(units).toBeLessThanOrEqual(4);
    expect(units).toBeGreaterThanOrEqual(3);
    for (const res of results.filter((res) => res.status !== 201)) expect(res.body).toEqual(refusedForLimit);
    expect(await stock.held(ticket.id)).toBe(units);
    expect(await buyerUnits.held(buyerKey(ticket.id, id))).toBe(units);
  });

  it("refuses a sold-out listing without writing to the buyer's units", async () => {
    const ticket = await createTicket({ quantity: 2, limitPerBuyer: 4 });
    await placeOrder({ ticketId: ticket.id, quantity: 2 }).expect(201);
    const { id, cookie } = buyer();

    expect((await placeOrder({ ticketId: ticket.id }, cookie).expect(400)).body).toEqual({ errors: [{ message: 'Sold out' }] });
    expect(await BuyerEntry.countDocuments({ ticketId: buyerKey(ticket.id, id) })).toBe(0);
  });

  it('gives the units back to the buyer when the listing has too few left', async () => {
    const ticket = await createTicket({ quantity: 1, limitPerBuyer: 4 });
    const { id, cookie } = buyer();

    expect((await placeOrder({ ticketId: ticket.id, quantity: 2 }, cookie).expect(400)).body).toEqual({
      errors: [{ message: 'Not enough tickets' }],
    });
    expect(await buyerUnits.held(buyerKey(ticket.id, id))).toBe(0);
  });
});

describe('onSaleAt', () => {
  it('refuses an order before it with 400 "Not on sale yet", holding nothing', async () => {
    const ticket = await createTicket({ quantity: 10, onSaleAt: new Date(Date.now() + 60_000) });

    const res = await placeOrder({ ticketId: ticket.id }).expect(400);

    expect(res.body).toEqual({ errors: [{ message: 'Not on sale yet' }] });
    expect(await stock.held(ticket.id)).toBe(0);
    expect(await published(Subjects.OrderCreated)).toEqual([]);
  });

  it('takes orders once it has passed', async () => {
    const ticket = await createTicket({ quantity: 10, onSaleAt: new Date(Date.now() - 1000) });
    await placeOrder({ ticketId: ticket.id }).expect(201);
  });
});

describe('a waiting-room listing', () => {
  const admissionFor = (userId: string, ticketId: string, admissionId = newId()) =>
    signAdmissionToken({ admissionId, userId, ticketId, expiresAt: new Date(Date.now() + 60_000) });
  const waitingRoomTicket = () => createTicket({ quantity: 100, waitingRoom: { activeBuyers: 2 } });

  it('refuses an order without an admission with 403 "Admission required"', async () => {
    const ticket = await waitingRoomTicket();
    const res = await placeOrder({ ticketId: ticket.id }).expect(403);
    expect(res.body).toEqual({ errors: [{ message: 'Admission required' }] });
    expect(await Order.countDocuments()).toBe(0);
    expect(await stock.held(ticket.id)).toBe(0);
  });

  it("refuses another user's admission, one for another listing, a session token or garbage with 403", async () => {
    const userId = newId();
    const ticket = await waitingRoomTicket();
    const other = await waitingRoomTicket();
    const session = signUserToken({ id: userId, email: 'buyer@example.com' });
    for (const admission of [admissionFor(newId(), ticket.id), admissionFor(userId, other.id), session, 'not a token']) {
      const res = await placeOrder({ ticketId: ticket.id, admission }, signinCookie({ id: userId })).expect(403);
      expect(res.body).toEqual({ errors: [{ message: 'Admission required' }] });
    }
    expect(await Order.countDocuments()).toBe(0);
  });

  it('takes an order with a valid admission, naming it in order:created', async () => {
    const userId = newId();
    const admissionId = newId();
    const ticket = await waitingRoomTicket();

    const res = await placeOrder(
      { ticketId: ticket.id, quantity: 2, admission: admissionFor(userId, ticket.id, admissionId) },
      signinCookie({ id: userId }),
    );

    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('admissionId');
    expect(await published(Subjects.OrderCreated)).toEqual([
      expect.objectContaining({ id: (res.body as Api.Order).id, admissionId, quantity: 2 }),
    ]);
  });

  it('takes one order per admission: 403 "Admission already used" after, giving the units back', async () => {
    const userId = newId();
    const ticket = await waitingRoomTicket();
    const admission = admissionFor(userId, ticket.id);
    await placeOrder({ ticketId: ticket.id, admission }, signinCookie({ id: userId })).expect(201);

    const again = await placeOrder({ ticketId: ticket.id, quantity: 3, admission }, signinCookie({ id: userId })).expect(403);

    expect(again.body).toEqual({ errors: [{ message: 'Admission already used' }] });
    expect(await Order.countDocuments()).toBe(1);
    expect(await stock.held(ticket.id)).toBe(1);
  });

  it('lets only one of several concurrent orders with the same admission through', async () => {
    const userId = newId();
    const ticket = await waitingRoomTicket();
    const admission = admissionFor(userId, ticket.id);

    const results = await Promise.all(
      Array.from({ length: 6 }, () => placeOrder({ ticketId: ticket.id, admission }, signinCookie({ id: userId }))),
    );

    expect(results.map((res) => res.status).sort()).toEqual([201, 403, 403, 403, 403, 403]);
    expect(await stock.held(ticket.id)).toBe(1);
  });

  it('needs no admission for a listing without a waiting room', async () => {
    const ticket = await createTicket({ quantity: 10 });
    await placeOrder({ ticketId: ticket.id }).expect(201);
  });
});

it('lets an admission refused for want of units place an order later', async () => {
  const userId = newId();
  const ticket = await createTicket({ quantity: 2, waitingRoom: { activeBuyers: 2 } });
  const admission = signAdmissionToken({ admissionId: newId(), userId, ticketId: ticket.id, expiresAt: new Date(Date.now() + 60_000) });

  const tooMany = await placeOrder({ ticketId: ticket.id, quantity: 3, admission }, signinCookie({ id: userId })).expect(400);
  expect(tooMany.body).toEqual({ errors: [{ message: 'Not enough tickets' }] });
  await placeOrder({ ticketId: ticket.id, quantity: 2, admission }, signinCookie({ id: userId })).expect(201);
});
