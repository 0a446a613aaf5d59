import { OrderStatus, Subjects } from '@ticketing/common';
import { newId, useServiceTest } from '@ticketing/common/testing';
import { Order } from '../../../models/order';
import { stock } from '../../../services/stock';
import { createOrder, createTicket } from '../../../__test__/fixtures';
import { orderOutbox } from '../../outbox';
import { ExpirationCompleteListener } from '../expiration-complete-listener';

const { bus, published, discardPublished } = useServiceTest(orderOutbox);
const listener = new ExpirationCompleteListener(bus);
listener.listen('test');

const orderThat = async (status: OrderStatus) => {
  const created = await createOrder({ status });
  await discardPublished();
  return created;
};

it('cancels an unpaid order, releasing its ticket, and acks', async () => {
  const { order, ticket } = await orderThat(OrderStatus.Created);

  expect(await bus.deliver(Subjects.ExpirationComplete, { orderId: order.id })).toBe('acked');

  expect(await Order.findById(order.id)).toMatchObject({ status: OrderStatus.Cancelled, version: 1 });
  expect(await stock.held(ticket.id)).toBe(0);
});

it('says the order expired, in the JSON the API sends, apart from one its buyer cancelled', async () => {
  const { order } = await orderThat(OrderStatus.Created);

  await listener.onMessage({ orderId: order.id });

  expect((await Order.findById(order.id))!.toJSON()).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });
});

it('keeps the reason of an order its buyer cancelled before it expired', async () => {
  const { order } = await orderThat(OrderStatus.Cancelled);

  await listener.onMessage({ orderId: order.id });

  expect((await Order.findById(order.id))!.toJSON()).toMatchObject({ status: 'cancelled', cancelReason: 'buyer' });
});

it('gives all the units of a multi-unit order back', async () => {
  const ticket = await createTicket({ quantity: 10 });
  const { order } = await createOrder({ ticket, quantity: 4 });
  await createOrder({ ticket, quantity: 1 });

  await listener.onMessage({ orderId: order.id });

  expect(await stock.held(ticket.id)).toBe(1);
  await listener.onMessage({ orderId: order.id });
  expect(await stock.held(ticket.id)).toBe(1);
});

it('keeps the units of a paid order', async () => {
  const ticket = await createTicket({ quantity: 10 });
  const { order } = await createOrder({ ticket, quantity: 3, status: OrderStatus.Complete });

  await listener.onMessage({ orderId: order.id });

  expect(await stock.held(ticket.id)).toBe(3);
});

it('publishes order:cancelled at the new version', async () => {
  const { order, ticket } = await orderThat(OrderStatus.Created);
  await listener.onMessage({ orderId: order.id });

  expect(await published(Subjects.OrderCancelled)).toEqual([{ id: order.id, version: 1, ticket: { id: ticket.id } }]);
});

it('leaves a paid order as it is and acks', async () => {
  const { order } = await orderThat(OrderStatus.Complete);

  expect(await bus.deliver(Subjects.ExpirationComplete, { orderId: order.id })).toBe('acked');

  expect(await Order.findById(order.id)).toMatchObject({ status: OrderStatus.Complete, version: 1 });
  expect(await published(Subjects.OrderCancelled)).toEqual([]);
});

it('treats an expiry of a cancelled order as a harmless duplicate', async () => {
  const { order } = await orderThat(OrderStatus.Created);
  await listener.onMessage({ orderId: order.id });

  await expect(listener.onMessage({ orderId: order.id })).resolves.toBeUndefined();

  expect((await Order.findById(order.id))!.version).toBe(1);
  expect(await published(Subjects.OrderCancelled)).toHaveLength(1);
});

it('leaves an expiry for an unknown order unacked', async () => {
  await expect(listener.onMessage({ orderId: newId() })).rejects.toThrow(/unknown order/);
});
