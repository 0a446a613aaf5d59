import mongoose, { Connection } from 'mongoose';
import { newId, useServiceTest } from '@ticketing/common/testing';
import { orderOutbox } from '../../events/outbox';
import { StockEntry, StockEntryFields, stockEntrySchema } from '../../models/stock-entry';
import { BuyerEntry, buyerKey } from '../../models/buyer-entry';
import { buyerUnits, Stock } from '../stock';

useServiceTest(orderOutbox);

describe('across separate connections (one per process, as replicas of orders have)', () => {
  let connections: Connection[] = [];

  beforeAll(async () => {
    const dbName = mongoose.connection.name;
    connections = await Promise.all([0, 1, 2].map(() => mongoose.createConnection(process.env.MONGO_URI!, { dbName }).asPromise()));
  });
  afterAll(() => Promise.all(connections.map((connection) => connection.close())));

  /** One stock per connection, each with its own cache and queue, like three processes. */
  const stocks = () =>
    connections.map((connection) => new Stock(connection.model<StockEntryFields>(StockEntry.modelName, stockEntrySchema)));

  it('lets exactly 50 of 200 concurrent one-unit holds on 50 units through', async () => {
    const ticketId = newId();
    const replicas = stocks();

    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => replicas[i % replicas.length].hold(ticketId, newId(), 1, 50)));

    expect(results.filter((result) => result.held)).toHaveLength(50);
    expect(results.filter((result) => !result.held)).toHaveLength(150);
    expect(await new Stock().held(ticketId)).toBe(50);
    expect(await StockEntry.countDocuments({ ticketId, kind: 'hold' })).toBe(50);
  });

  it("keeps one buyer's units within the limit per buyer when 30 of their orders race on three connections", async () => {
    const buyer = buyerKey(newId(), newId());
    const replicas = connections.map(
      (connection) =>
        new Stock(connection.model<StockEntryFields>(BuyerEntry.modelName, stockEntrySchema, BuyerEntry.collection.collectionName)),
    );

    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => replicas[i % 3].hold(buyer, newId(), 1, 4)));

    expect(results.filter((result) => result.held)).toHaveLength(4);
    expect(await buyerUnits.held(buyer)).toBe(4);
  });

  it('never holds more than the capacity with mixed quantities, and releases give exactly their units back', async () => {
    const ticketId = newId();
    const replicas = stocks();
    const orders = Array.from({ length: 120 }, (_, i) => ({ orderId: newId(), quantity: (i % 4) + 1 }));

    const results = await Promise.all(orders.map((order, i) => replicas[i % 3].hold(ticketId, order.orderId, order.quantity, 100)));
    const holding = orders.filter((_, i) => results[i].held);
    const heldUnits = holding.reduce((sum, order) => sum + order.quantity, 0);
    expect(heldUnits).toBeLessThanOrEqual(100);
    expect(heldUnits).toBeGreaterThan(96);
    expect(await new Stock().held(ticketId)).toBe(heldUnits);

    // Every holding order released twice, from different replicas at once: each counts once.
    await Promise.all(
      holding.flatMap((order, i) => [0, 1].map((k) => replicas[(i + k) % 3].release(ticketId, order.orderId, order.quantity))),
    );
    expect(await new Stock().held(ticketId)).toBe(0);
    expect(await StockEntry.countDocuments({ ticketId, kind: 'release' })).toBe(holding.length);
  });
});

it('decides on the stock as it is, not on the step a process saw last', async () => {
  const [first, second] = [new Stock(), new Stock()];
  const ticketId = newId();
  const [early, late] = [newId(), newId()];
  expect(await first.hold(ticketId, early, 2, 10)).toEqual({ held: true });
  // Another process holds the rest: the first one's step is behind, and its next insert must fail, not over-hold.
  expect(await second.hold(ticketId, late, 8, 10)).toEqual({ held: true });
  expect(await first.hold(ticketId, newId(), 1, 10)).toEqual({ held: false, available: 0 });
  // And units given back elsewhere are there to hold, though the first process last saw none left.
  await second.release(ticketId, late, 8);
  expect(await first.hold(ticketId, newId(), 4, 10)).toEqual({ held: true });
  expect(await new Stock().held(ticketId)).toBe(6);
});

it('answers with what is left when there is not enough, holding nothing', async () => {
  const stock = new Stock();
  const ticketId = newId();
  expect(await stock.hold(ticketId, newId(), 3, 4)).toEqual({ held: true });
  expect(await stock.hold(ticketId, newId(), 2, 4)).toEqual({ held: false, available: 1 });
  expect(await stock.hold(ticketId, newId(), 1, 4)).toEqual({ held: true });
  expect(await stock.hold(ticketId, newId(), 1, 4)).toEqual({ held: false, available: 0 });
  expect(await stock.held(ticketId)).toBe(4);
});

it('holds once per order, however often it is asked', async () => {
  const stock = new Stock();
  const ticketId = newId();
  const orderId = newId();
  await Promise.all([
    stock.hold(ticketId, orderId, 2, 10),
    stock.hold(ticketId, orderId, 2, 10),
    new Stock().hold(ticketId, orderId, 2, 10),
  ]);
  expect(await new Stock().held(ticketId)).toBe(2);
});

it('finds the last step of a long chain from a fresh process with a few reads by _id', async () => {
  const ticketId = newId();
  const writer = new Stock();
  for (let i = 0; i < 37; i++) await writer.hold(ticketId, newId(), 1, 100);

  const findById = jest.spyOn(StockEntry, 'findById');
  expect(await new Stock().held(ticketId)).toBe(37);
  expect(findById.mock.calls.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(37)) + 2);
  findById.mockRestore();
});

it('refuses to release units never held', async () => {
  await expect(new Stock().release(newId(), newId(), 1)).rejects.toThrow();
});
