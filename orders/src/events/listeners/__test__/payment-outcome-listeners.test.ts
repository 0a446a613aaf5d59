import { logger, OrderStatus, Subjects } from '@ticketing/common';
import { newId, paymentRefundedData, useServiceTest } from '@ticketing/common/testing';
import { Order } from '../../../models/order';
import { createOrder } from '../../../__test__/fixtures';
import { orderOutbox } from '../../outbox';
import { PaymentFailedListener } from '../payment-failed-listener';
import { PaymentRefundedListener } from '../payment-refunded-listener';

const { bus, discardPublished } = useServiceTest(orderOutbox);
new PaymentFailedListener(bus).listen('test');
new PaymentRefundedListener(bus).listen('test');

beforeEach(() => jest.spyOn(logger, 'info').mockImplementation(() => {}));
afterEach(() => jest.restoreAllMocks());

it('keeps the order open after a declined payment, so that the buyer can pay with another card', async () => {
  const { order } = await createOrder();
  await discardPublished();

  expect(await bus.deliver(Subjects.PaymentFailed, { id: newId(), orderId: order.id, reason: 'Your card was declined.' })).toBe('acked');

  expect(await Order.findById(order.id)).toMatchObject({ status: OrderStatus.Created, version: 0 });
  await orderOutbox.flush();
  expect(bus.published).toEqual([]);
});

it('leaves a cancelled order as it is when its charge was refunded', async () => {
  const { order } = await createOrder({ status: OrderStatus.Cancelled });
  await discardPublished();

  expect(await bus.deliver(Subjects.PaymentRefunded, paymentRefundedData({ orderId: order.id, stripeId: 'ch_1' }))).toBe('acked');

  expect(await Order.findById(order.id)).toMatchObject({ status: OrderStatus.Cancelled, version: 1 });
  await orderOutbox.flush();
  expect(bus.published).toEqual([]);
});
