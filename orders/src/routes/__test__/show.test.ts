import request from 'supertest';
import { OrderStatus } from '@ticketing/common';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { orderOutbox } from '../../events/outbox';
import { createOrder } from '../../__test__/fixtures';

const app = buildApp();

useServiceTest(orderOutbox);

const show = (id: string, cookie?: string[]) => {
  const req = request(app).get(`/api/orders/${id}`);
  return cookie ? req.set('Cookie', cookie) : req;
};

it('shows the owner the order with its ticket', async () => {
  const userId = newId();
  const { order, ticket } = await createOrder({ userId });

  const res = await show(order.id, signinCookie({ id: userId })).expect(200);

  expect(res.body).toEqual({
    id: order.id,
    userId,
    status: OrderStatus.Created,
    expiresAt: order.expiresAt.toISOString(),
    version: 0,
    price: ticket.price,
    quantity: 1,
    totalCents: 2000,
    ticket: { id: ticket.id, title: ticket.title, price: ticket.price },
  });
});

it("answers 401 for someone else's order", async () => {
  const { order } = await createOrder();
  const res = await show(order.id, signinCookie()).expect(401);
  expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
});

it('answers 401 when not signed in', async () => {
  const { order } = await createOrder();
  await show(order.id).expect(401);
});

it('answers 404 for an unknown order and for an id that is not an ObjectId', async () => {
  await show(newId(), signinCookie()).expect(404);
  await show('not-an-id', signinCookie()).expect(404);
});
