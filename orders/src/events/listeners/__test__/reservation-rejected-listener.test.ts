import { OrderStatus, Subjects } from '@ticketing/common';
import { reservationRejectedData, useServiceTest } from '@ticketing/common/testing';
import { Order } from '../../../models/order';
import { stock } from '../../../services/stock';
import { createOrder } from '../../../__test__/fixtures';
import { orderOutbox } from '../../outbox';
import { ReservationRejectedListener } from '../reservation-rejected-listener';

const { bus, published, discardPublished } = useServiceTest(orderOutbox);
const listener = new ReservationRejectedListener(bus);
listener.listen('test');

const orderThat = async (status: OrderStatus) => {
  const created = await createOrder({ status });
  await discardPublished();
  return created;
};

const rejectionOf = ({ order, ticket }: Awaited<ReturnType<typeof createOrder>>) =>
  reservationRejectedData({ orderId: order.id, ticket: { id: ticket.id, price: order.price } });

it('cancels the rejected order, releasing its ticket, and acks', async () => {
  const created = await orderThat(OrderStatus.Created);

  expect(await bus.deliver(Subjects.ReservationRejected, rejectionOf(created))).toBe('acked');

  expect((await Order.findById(created.order.id))!.toJSON()).toMatchObject({ status: 'cancelled', cancelReason: 'rejected', version: 1 });
  expect(await published(Subjects.OrderCancelled)).toEqual([{ id: created.order.id, version: 1, ticket: { id: created.ticket.id } }]);
  expect(await stock.held(created.ticket.id)).toBe(0);
  expect((await Order.findById(created.order.id))!.holding).toBeUndefined();
});

it('cancels a rejected order even once paid, so that payments refunds it', async () => {
  const created = await orderThat(OrderStatus.Complete);

  expect(await bus.deliver(Subjects.ReservationRejected, rejectionOf(created))).toBe('acked');

  expect((await Order.findById(created.order.id))!.toJSON()).toMatchObject({ status: 'cancelled', cancelReason: 'rejected', version: 2 });
  expect(await published(Subjects.OrderCancelled)).toEqual([{ id: created.order.id, version: 2, ticket: { id: created.ticket.id } }]);
});

it('treats a redelivered rejection as a harmless duplicate', async () => {
  const created = await orderThat(OrderStatus.Created);
  await bus.deliver(Subjects.ReservationRejected, rejectionOf(created));

  expect(await bus.deliver(Subjects.ReservationRejected, rejectionOf(created), { deliveries: 2 })).toBe('acked');

  expect((await Order.findById(created.order.id))!.version).toBe(1);
  expect(await published(Subjects.OrderCancelled)).toHaveLength(1);
});

it('leaves a rejection of an unknown order unacked', async () => {
  expect(await bus.deliver(Subjects.ReservationRejected, reservationRejectedData())).toBe('unacked');
});
