import { OrderStatus } from '@ticketing/common';
import { orderCreatedData, RecordingBus, useTestDatabase } from '@ticketing/common/testing';
import { Order } from '../../../models/order';
import { OrderCreatedListener } from '../order-created-listener';

useTestDatabase();

const listener = new OrderCreatedListener(new RecordingBus());

const orderCreated = () => orderCreatedData({ ticket: { price: 19.99 } });

it('keeps the order with its owner, seller, price, status and version', async () => {
  const data = orderCreated();

  await listener.onMessage(data);

  expect(await Order.findById(data.id).lean()).toMatchObject({
    version: 0,
    userId: data.userId,
    sellerId: data.ticket.sellerId,
    price: 19.99,
    totalCents: 1999,
    status: OrderStatus.Created,
    expiresAt: new Date(data.expiresAt),
  });
});

it('keeps the total of a multi-unit order, which is what is charged', async () => {
  const data = orderCreatedData({ quantity: 3, totalCents: 5997, ticket: { price: 19.99 } });
  await listener.onMessage(data);
  expect(await Order.findById(data.id).lean()).toMatchObject({ price: 19.99, totalCents: 5997 });
});

it('keeps the waiting-room admission the order was placed with, for payment:created', async () => {
  const data = orderCreatedData({ admissionId: 'listing.7' });
  await listener.onMessage(data);
  expect(await Order.findById(data.id).lean()).toMatchObject({ admissionId: 'listing.7' });
});

it('keeps the listing (its title when the order was placed) and the units, which payment:created names for the seller', async () => {
  const data = orderCreatedData({ quantity: 2, ticket: { title: 'Opera night' } });
  await listener.onMessage(data);
  expect(await Order.findById(data.id).lean()).toMatchObject({ ticket: { id: data.ticket.id, title: 'Opera night' }, quantity: 2 });
});

it('treats a redelivered order:created as a harmless duplicate', async () => {
  const data = orderCreated();
  await listener.onMessage(data);

  await expect(listener.onMessage({ ...data, ticket: { ...data.ticket, price: 1 } })).resolves.toBeUndefined();

  expect(await Order.countDocuments()).toBe(1);
  expect((await Order.findById(data.id))?.price).toBe(19.99);
});
