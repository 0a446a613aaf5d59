import { InvalidMessageError, OrderStatus, Subjects } from '@ticketing/common';
import { newId, paymentCreatedData, useServiceTest } from '@ticketing/common/testing';
import { Order } from '../../../models/order';
import { stock } from '../../../services/stock';
import { createOrder } from '../../../__test__/fixtures';
import { orderOutbox } from '../../outbox';
import { PaymentCreatedListener } from '../payment-created-listener';

const { bus, published, discardPublished } = useServiceTest(orderOutbox);
const listener = new PaymentCreatedListener(bus);
listener.listen('test');

const paymentFor = (orderId: string) => paymentCreatedData({ orderId });

const orderThat = async (status: OrderStatus) => {
  const created = await createOrder({ status });
  await discardPublished();
  return created;
};

it('completes the order, bumping its version, and acks', async () => {
  const { order } = await orderThat(OrderStatus.Created);

  expect(await bus.deliver(Subjects.PaymentCreated, paymentFor(order.id))).toBe('acked');

  expect(await Order.findById(order.id)).toMatchObject({ status: OrderStatus.Complete, version: 1 });
  await orderOutbox.flush();
  expect(bus.published).toEqual([]);
});

it('keeps the ticket held by the paid order', async () => {
  const { order, ticket } = await orderThat(OrderStatus.Created);
  await listener.onMessage(paymentFor(order.id));

  expect(await stock.held(ticket.id)).toBe(1);
  expect(await stock.hold(ticket.id, newId(), 1, ticket.quantity)).toEqual({ held: false, available: 0 });
});

it('treats a redelivered payment as a harmless duplicate', async () => {
  const { order } = await orderThat(OrderStatus.Created);
  await listener.onMessage(paymentFor(order.id));

  await expect(listener.onMessage(paymentFor(order.id))).resolves.toBeUndefined();

  expect(await Order.findById(order.id)).toMatchObject({ status: OrderStatus.Complete, version: 1 });
});

it('leaves an order that expired first cancelled, asks payments to refund the charge, and acks', async () => {
  const { order } = await orderThat(OrderStatus.Cancelled);
  const payment = paymentFor(order.id);

  expect(await bus.deliver(Subjects.PaymentCreated, payment)).toBe('acked');

  expect(await Order.findById(order.id)).toMatchObject({ status: OrderStatus.Cancelled, version: 1 });
  expect(await published(Subjects.RefundRequested)).toEqual([
    { orderId: order.id, paymentId: payment.id, reason: 'charged after the order was cancelled' },
  ]);
});

it('asks for the refund of a late charge once, however often its payment:created arrives', async () => {
  const { order } = await orderThat(OrderStatus.Cancelled);
  const payment = paymentFor(order.id);

  for (let i = 0; i < 3; i++) expect(await bus.deliver(Subjects.PaymentCreated, payment)).toBe('acked');

  expect(await published(Subjects.RefundRequested)).toHaveLength(1);
});

it('finds a payment for an unknown order invalid: unacked, and parked if it stays so', async () => {
  await expect(listener.onMessage(paymentFor(newId()))).rejects.toThrow(InvalidMessageError);
});
