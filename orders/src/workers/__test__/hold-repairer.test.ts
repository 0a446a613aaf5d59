import { logger, OrderStatus } from '@ticketing/common';
import { newId, useServiceTest } from '@ticketing/common/testing';
import { orderOutbox } from '../../events/outbox';
import { abandonOrders, Order } from '../../models/order';
import { BuyerEntry, buyerKey } from '../../models/buyer-entry';
import { StockEntry } from '../../models/stock-entry';
import { placeOrder } from '../../services/place-order';
import { buyerUnits, stock } from '../../services/stock';
import { createOrder, createTicket } from '../../__test__/fixtures';
import { HoldRepairer } from '../hold-repairer';

useServiceTest(orderOutbox);

const GRACE_MS = 60_000;

/** Makes every hold of the ticket look `ago` ms old. */
const ageHolds = (ticketId: string, ago: number) =>
  StockEntry.updateMany({ ticketId, kind: 'hold' }, { $set: { createdAt: new Date(Date.now() - ago) } });

beforeEach(() => jest.spyOn(logger, 'info').mockImplementation(() => {}));
afterEach(() => jest.restoreAllMocks());

it('gives back the units of a hold whose order was never stored (a crash between the writes), once past the grace', async () => {
  const ticket = await createTicket({ quantity: 10 });
  await stock.hold(ticket.id, newId(), 3, 10);
  await createOrder({ ticket, quantity: 2 });
  await ageHolds(ticket.id, GRACE_MS + 5_000);

  expect(await new HoldRepairer({ graceMs: GRACE_MS }).repair()).toBe(1);

  expect(await stock.held(ticket.id)).toBe(2);
  expect(await new HoldRepairer({ graceMs: GRACE_MS }).repair()).toBe(0);
  expect(await stock.held(ticket.id)).toBe(2);
});

it("gives back a buyer's units whose order was never stored, counting the order once", async () => {
  const ticket = await createTicket({ quantity: 10 });
  const [crashedEarly, crashedLate] = [newId(), newId()];
  const buyer = buyerKey(ticket.id, newId());
  // One process died between the buyer's hold and the stock's, another between the stock's and the order's insert.
  await buyerUnits.hold(buyer, crashedEarly, 2, 4);
  await buyerUnits.hold(buyer, crashedLate, 1, 4);
  await stock.hold(ticket.id, crashedLate, 1, 10);
  await ageHolds(ticket.id, GRACE_MS + 5_000);
  await BuyerEntry.updateMany({ ticketId: buyer }, { $set: { createdAt: new Date(Date.now() - GRACE_MS - 5_000) } });

  expect(await new HoldRepairer({ graceMs: GRACE_MS }).repair()).toBe(2);

  expect(await buyerUnits.held(buyer)).toBe(0);
  expect(await stock.held(ticket.id)).toBe(0);
});

it('leaves a hold within the grace alone: its order may still be on its way', async () => {
  const ticket = await createTicket({ quantity: 10 });
  await stock.hold(ticket.id, newId(), 3, 10);
  await ageHolds(ticket.id, GRACE_MS - 10_000);

  expect(await new HoldRepairer({ graceMs: GRACE_MS }).repair()).toBe(0);

  expect(await stock.held(ticket.id)).toBe(3);
});

it('gives back the units of a cancelled order that still holds them (a crash after the cancel)', async () => {
  const ticket = await createTicket({ quantity: 10 });
  const { order } = await createOrder({ ticket, quantity: 4 });
  const cancelled = await Order.cancel(order);
  expect(cancelled!.holding).toBe(true);

  expect(await new HoldRepairer({ graceMs: GRACE_MS }).repair()).toBe(1);

  expect(await stock.held(ticket.id)).toBe(0);
  expect((await Order.findById(order.id))!.holding).toBeUndefined();
});

it('leaves the units of active and paid orders held', async () => {
  const ticket = await createTicket({ quantity: 10 });
  await createOrder({ ticket, quantity: 2 });
  await createOrder({ ticket, quantity: 3, status: OrderStatus.Complete });
  await ageHolds(ticket.id, GRACE_MS + 5_000);

  expect(await new HoldRepairer({ graceMs: GRACE_MS }).repair()).toBe(0);

  expect(await stock.held(ticket.id)).toBe(5);
});

it('releases every hold due in one pass, batch after batch, not one batch per pass', async () => {
  const ticket = await createTicket({ quantity: 100 });
  for (let i = 0; i < 25; i++) await stock.hold(ticket.id, newId(), 2, 100);
  await ageHolds(ticket.id, GRACE_MS + 5_000);

  expect(await new HoldRepairer({ graceMs: GRACE_MS, batch: 10 }).repair()).toBe(25);

  expect(await stock.held(ticket.id)).toBe(0);
});

it('releases every cancelled order still holding in one pass, batch after batch', async () => {
  const ticket = await createTicket({ quantity: 100 });
  for (let i = 0; i < 12; i++) {
    const { order } = await createOrder({ ticket });
    await Order.cancel(order);
  }

  expect(await new HoldRepairer({ graceMs: GRACE_MS, batch: 5 }).repair()).toBe(12);

  expect(await stock.held(ticket.id)).toBe(0);
});

describe('an order saved after the grace (a stalled process)', () => {
  /** Places an order whose save comes only after its hold has aged past the grace and a repair pass has run. */
  const placeStalledOrder = async (ticket: Awaited<ReturnType<typeof createTicket>>, passes: () => Promise<unknown>) => {
    const hold = stock.hold.bind(stock);
    jest.spyOn(stock, 'hold').mockImplementationOnce(async (...args) => {
      const held = await hold(...args);
      await ageHolds(ticket.id, GRACE_MS + 5_000);
      await passes();
      return held;
    });
    return placeOrder({ userId: newId(), ticket, quantity: 3 });
  };

  it('is refused once the repair gave its units back: no order stands without its units', async () => {
    const ticket = await createTicket({ quantity: 10 });
    const repairer = new HoldRepairer({ graceMs: GRACE_MS });

    await expect(placeStalledOrder(ticket, () => repairer.repair())).rejects.toThrow(/after the repair pass had given its units back/);

    expect(await Order.countDocuments({ ticket: ticket.id })).toBe(0);
    expect(await stock.held(ticket.id)).toBe(0);
    expect(await repairer.repair()).toBe(0);
    expect(await stock.held(ticket.id)).toBe(0);
  });

  it('keeps its units when it is stored before the repair looks', async () => {
    const ticket = await createTicket({ quantity: 10 });

    const order = await placeStalledOrder(ticket, () => Promise.resolve());
    await ageHolds(ticket.id, GRACE_MS + 5_000);

    expect(await new HoldRepairer({ graceMs: GRACE_MS }).repair()).toBe(0);
    expect(await Order.exists({ _id: order.id })).toBeTruthy();
    expect(await stock.held(ticket.id)).toBe(3);
  });

  it('never takes the id of an order stored between the repair reading its batch and storing the placeholders', async () => {
    const { order } = await createOrder();
    const orphan = newId();

    expect([...(await abandonOrders([String(order.id), orphan]))]).toEqual([orphan]);
    expect([...(await abandonOrders([orphan]))]).toEqual([orphan]);

    expect(await Order.findById(order.id)).toMatchObject({ status: OrderStatus.Created, userId: order.userId });
  });

  it('lets exactly one of a repair and the save win when they race, keeping the units if and only if the order is stored', async () => {
    for (let i = 0; i < 10; i++) {
      const ticket = await createTicket({ quantity: 10 });
      const repairer = new HoldRepairer({ graceMs: GRACE_MS });
      let repaired: Promise<number> = Promise.resolve(0);
      const placed = await placeStalledOrder(ticket, () => {
        repaired = repairer.repair();
        return Promise.resolve();
      }).then(
        () => true,
        () => false,
      );
      await repaired;

      expect(await Order.countDocuments({ ticket: ticket.id })).toBe(placed ? 1 : 0);
      expect(await stock.held(ticket.id)).toBe(placed ? 3 : 0);
    }
  });
});
