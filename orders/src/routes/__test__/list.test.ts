import request from 'supertest';
import { OrderStatus } from '@ticketing/common';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { orderOutbox } from '../../events/outbox';
import { createOrder } from '../../__test__/fixtures';

const app = buildApp();

useServiceTest(orderOutbox);

it('answers 401 when not signed in', async () => {
  await request(app).get('/api/orders').expect(401);
});

it("lists the caller's orders only, newest first, each with its ticket", async () => {
  const userId = newId();
  const first = await createOrder({ userId });
  await createOrder(); // someone else's
  const second = await createOrder({ userId, status: OrderStatus.Cancelled });

  const res = await request(app)
    .get('/api/orders')
    .set('Cookie', signinCookie({ id: userId }))
    .expect(200);

  expect(res.body).toEqual([
    {
      id: second.order.id,
      userId,
      status: OrderStatus.Cancelled,
      cancelReason: 'buyer',
      expiresAt: second.order.expiresAt.toISOString(),
      version: 1,
      price: 20,
      quantity: 1,
      totalCents: 2000,
      ticket: { id: second.ticket.id, title: 'Concert', price: 20 },
    },
    expect.objectContaining({ id: first.order.id, status: OrderStatus.Created, ticket: expect.objectContaining({ id: first.ticket.id }) }),
  ]);
});

it('answers an empty list to someone without orders', async () => {
  await createOrder();
  const res = await request(app).get('/api/orders').set('Cookie', signinCookie()).expect(200);
  expect(res.body).toEqual([]);
});
