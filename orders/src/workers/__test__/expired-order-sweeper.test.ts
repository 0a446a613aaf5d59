import mongoose from 'mongoose';
import { logger, OrderStatus, Subjects } from '@ticketing/common';
import { useServiceTest, waitUntil } from '@ticketing/common/testing';
import { orderOutbox } from '../../events/outbox';
import { Order } from '../../models/order';
import { createOrder } from '../../__test__/fixtures';
import { ExpiredOrderSweeper } from '../expired-order-sweeper';

const { published, discardPublished } = useServiceTest(orderOutbox);

const GRACE_MS = 30_000;

/** An order of the given status whose expiresAt lies `ago` ms in the past. */
const orderExpired = async (ago: number, status = OrderStatus.Created) => {
  const { order } = await createOrder({ status });
  await Order.updateOne({ _id: order._id }, { $set: { expiresAt: new Date(Date.now() - ago) } });
  return order;
};

afterEach(() => jest.restoreAllMocks());

it('cancels the unpaid orders past expiresAt and the grace, releasing their tickets, and leaves the others', async () => {
  jest.spyOn(logger, 'info').mockImplementation(() => {});
  const lost = await orderExpired(GRACE_MS + 5_000);
  const withinGrace = await orderExpired(GRACE_MS - 10_000);
  const paid = await orderExpired(GRACE_MS + 5_000, OrderStatus.Complete);
  const { order: fresh } = await createOrder();
  await discardPublished();

  expect(await new ExpiredOrderSweeper({ graceMs: GRACE_MS }).sweep()).toBe(1);

  expect(await Order.findById(lost.id)).toMatchObject({ status: OrderStatus.Cancelled, version: 1 });
  for (const order of [withinGrace, fresh]) expect((await Order.findById(order.id))!.status).toBe(OrderStatus.Created);
  expect((await Order.findById(paid.id))!.status).toBe(OrderStatus.Complete);
  expect(await published(Subjects.OrderCancelled)).toEqual([expect.objectContaining({ id: lost.id, version: 1 })]);
  expect(logger.info).toHaveBeenCalledWith('[orders] cancelled 1 order(s) past expiresAt that expiration had not');
});

it('leaves an order the expiration service cancelled meanwhile as it is', async () => {
  const lost = await orderExpired(GRACE_MS + 5_000);
  await Order.cancel(lost);
  await discardPublished();

  expect(await new ExpiredOrderSweeper({ graceMs: GRACE_MS }).sweep()).toBe(0);

  expect((await Order.findById(lost.id))!.version).toBe(1);
  expect(await published(Subjects.OrderCancelled)).toEqual([]);
});

it('sweeps on its timer once started, through the connection it is given, not the one requests use', async () => {
  jest.spyOn(logger, 'info').mockImplementation(() => {});
  const lost = await orderExpired(GRACE_MS + 5_000);
  const sweepConnection = await mongoose
    .createConnection(process.env.MONGO_URI!, { dbName: mongoose.connection.name, autoIndex: false })
    .asPromise();
  const scansOnServiceConnection = jest.spyOn(Order, 'find');
  const sweeper = new ExpiredOrderSweeper({ graceMs: GRACE_MS, intervalMs: 50 });

  sweeper.start({ sweepConnection });
  try {
    await waitUntil(async () => (await Order.findById(lost.id))!.status === OrderStatus.Cancelled, 10_000, 'the timed sweep');
  } finally {
    await sweeper.stop();
    await sweepConnection.close();
  }
  expect(scansOnServiceConnection).not.toHaveBeenCalled();
});
