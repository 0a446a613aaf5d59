import request from 'supertest';
import { OrderStatus, Subjects } from '@ticketing/common';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { orderOutbox } from '../../events/outbox';
import { Order } from '../../models/order';
import { createOrder } from '../../__test__/fixtures';

const app = buildApp();

const { published, discardPublished } = useServiceTest(orderOutbox);

const cancel = (id: string, cookie?: string[]) => {
  const req = request(app).delete(`/api/orders/${id}`);
  return cookie ? req.set('Cookie', cookie) : req;
};

const ownOrder = async (status = OrderStatus.Created) => {
  const userId = newId();
  const { order, ticket } = await createOrder({ userId, status });
  await discardPublished();
  return { order, ticket, owner: signinCookie({ id: userId }) };
};

it('cancels the order: 204, status cancelled, version bumped', async () => {
  const { order, owner } = await ownOrder();

  const res = await cancel(order.id, owner).expect(204);

  expect(res.body).toEqual({});
  expect(await Order.findById(order.id)).toMatchObject({ status: OrderStatus.Cancelled, version: 1 });
});

it('shows the order as cancelled by its buyer', async () => {
  const { order, owner } = await ownOrder();
  await cancel(order.id, owner).expect(204);

  const res = await request(app).get(`/api/orders/${order.id}`).set('Cookie', owner).expect(200);

  expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: 'buyer' });
});

it('publishes order:cancelled naming the ticket', async () => {
  const { order, ticket, owner } = await ownOrder();
  await cancel(order.id, owner).expect(204);

  expect(await published(Subjects.OrderCancelled)).toEqual([{ id: order.id, version: 1, ticket: { id: ticket.id } }]);
});

it('names the waiting-room admission the order was placed with in order:cancelled, so that the queue frees its slot', async () => {
  const userId = newId();
  const { order } = await createOrder({ userId, admissionId: 'listing.4' });
  await discardPublished();
  await cancel(order.id, signinCookie({ id: userId })).expect(204);

  expect(await published(Subjects.OrderCancelled)).toEqual([expect.objectContaining({ id: order.id, admissionId: 'listing.4' })]);
});

it('releases the ticket so it can be ordered again', async () => {
  const { order, ticket, owner } = await ownOrder();
  await cancel(order.id, owner).expect(204);

  await request(app).post('/api/orders').set('Cookie', signinCookie()).send({ ticketId: ticket.id }).expect(201);
});

it('answers 204 again for a cancelled order, without a second event', async () => {
  const { order, owner } = await ownOrder();
  await cancel(order.id, owner).expect(204);
  await cancel(order.id, owner).expect(204);

  expect((await Order.findById(order.id))!.version).toBe(1);
  expect(await published(Subjects.OrderCancelled)).toHaveLength(1);
});

it('refuses to cancel a paid order with 400', async () => {
  const { order, owner } = await ownOrder(OrderStatus.Complete);

  const res = await cancel(order.id, owner).expect(400);

  expect(res.body).toEqual({ errors: [{ message: 'Cannot cancel an order that is paid' }] });
  expect(await Order.findById(order.id)).toMatchObject({ status: OrderStatus.Complete, version: 1 });
  expect(await published(Subjects.OrderCancelled)).toEqual([]);
});

it("answers 401 for someone else's order, leaving it active", async () => {
  const { order } = await ownOrder();
  await cancel(order.id, signinCookie()).expect(401);
  await cancel(order.id).expect(401);
  expect((await Order.findById(order.id))!.status).toBe(OrderStatus.Created);
});

it('answers 404 for an unknown order and for an id that is not an ObjectId', async () => {
  await cancel(newId(), signinCookie()).expect(404);
  await cancel('not-an-id', signinCookie()).expect(404);
});

it('publishes one order:cancelled when the same order is cancelled several times at once', async () => {
  const { order, owner } = await ownOrder();

  const results = await Promise.all([1, 2, 3, 4, 5].map(() => cancel(order.id, owner)));

  expect(results.map((res) => res.status)).toEqual([204, 204, 204, 204, 204]);
  expect((await Order.findById(order.id))!.version).toBe(1);
  expect(await published(Subjects.OrderCancelled)).toHaveLength(1);
});
