import request from 'supertest';
import { logger, Subjects } from '@ticketing/common';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { Order } from '../../models/order';
import { createOrder } from '../../__test__/fixtures';
import { orderOutbox } from '../outbox';

const app = buildApp();

const { bus, published, discardPublished } = useServiceTest(orderOutbox);

it('keeps a cancellation whose publish failed and publishes it on the next relay run', async () => {
  const userId = newId();
  const { order, ticket } = await createOrder({ userId });
  await discardPublished();

  const log = jest.spyOn(logger, 'error').mockImplementation(() => {});
  bus.fail(); // the event bus is unreachable
  await request(app)
    .delete(`/api/orders/${order.id}`)
    .set('Cookie', signinCookie({ id: userId }))
    .expect(204);

  expect(await published(Subjects.OrderCancelled)).toEqual([]);
  expect((await Order.findById(order.id))!.outbox).toHaveLength(1);

  expect(log).toHaveBeenCalledWith(expect.stringContaining(`[outbox] Order ${order.id}: relay failed (attempt 1)`));
  log.mockRestore();
  bus.recover();
  expect(await published(Subjects.OrderCancelled)).toEqual([{ id: order.id, version: 1, ticket: { id: ticket.id } }]);
  expect((await Order.findById(order.id))!.outbox).toHaveLength(0);
});
