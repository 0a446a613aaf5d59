import { Subjects } from '@ticketing/common';
import { clearDatabase, newId, useTestDatabase } from '@ticketing/common/testing';
import { Balance, BalanceFields } from '../../models/balance';
import { Entry, EntryFields, EntryKind } from '../../models/entry';
import { balancesBus, Delivered, deliverAll, refundOf, sale } from '../../__test__/events';
import { recordLedgerEvent } from '../ledger';

useTestDatabase();
const bus = balancesBus();

const balanceOf = async (sellerId: string) => (await Balance.findById(sellerId).lean<BalanceFields>())?.balanceCents;

/** Every seller's balance, and the ledger's entries without their places (which depend on arrival order). */
const readModel = async () => {
  const balances = await Balance.find().sort({ _id: 1 }).lean<BalanceFields[]>();
  const entries = await Entry.find().sort({ _id: 1 }).lean<EntryFields[]>();
  return {
    balances: balances.map(({ _id, balanceCents, currency, seq }) => ({ _id, balanceCents, currency, seq })),
    entries: entries.map(({ _id, sellerId, kind, amountCents }) => ({ _id, sellerId, kind, amountCents })),
  };
};

/** A deterministic shuffle (the same every run), so that a failure can be replayed. */
const shuffled = <T>(items: T[], seed = 7): T[] => {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
};

/** Three sellers, sales of awkward amounts, and a refund of every fourth sale. */
const history = () => {
  const sellers = [newId(), newId(), newId()];
  const sales = Array.from({ length: 30 }, (_, n) => sale(sellers[n % 3], [1, 1999, 99_999_999, 50, 333][n % 5] + n));
  const refunds = sales.filter((_, n) => n % 4 === 0).map(refundOf);
  return { sellers, sales, refunds, events: [...sales, ...refunds] };
};

const sumOf = (events: Delivered[], sellerId: string) =>
  events.filter((event) => event.data.sellerId === sellerId).reduce((sum, event) => sum + event.data.amountCents, 0);

it('adds a sale to its seller and takes a refund back, in exact cents', async () => {
  const sellerId = newId();
  const sold = sale(sellerId, 1999);

  expect(await deliverAll(bus, [sold, sale(sellerId, 1), sale(newId(), 500)])).toEqual(['acked', 'acked', 'acked']);
  expect(await balanceOf(sellerId)).toBe(2000);

  expect(await deliverAll(bus, [refundOf(sold)])).toEqual(['acked']);
  expect(await balanceOf(sellerId)).toBe(1);
  expect(await Entry.find({ sellerId }).sort({ seq: 1 }).lean<EntryFields[]>()).toMatchObject([
    { _id: `payment:created:${sold.data.id}`, seq: 1, kind: EntryKind.Sale, amountCents: 1999, currency: 'usd' },
    { seq: 2, kind: EntryKind.Sale, amountCents: 1 },
    { _id: `payment:refunded:${sold.data.id}`, seq: 3, kind: EntryKind.Refund, amountCents: -1999, orderId: sold.data.orderId },
  ]);
});

it('ends at Σ sales − Σ refunds to the cent for every seller', async () => {
  const { sellers, sales, refunds, events } = history();

  await deliverAll(bus, events);

  for (const sellerId of sellers) expect(await balanceOf(sellerId)).toBe(sumOf(sales, sellerId) - sumOf(refunds, sellerId));
});

it('changes nothing when every event arrives twice', async () => {
  const { events } = history();
  await deliverAll(bus, events);
  const once = await readModel();

  expect(await deliverAll(bus, events)).toEqual(events.map(() => 'acked'));

  expect(await readModel()).toEqual(once);
});

it('rebuilds identical balances from an empty database, whatever the order and however many duplicates', async () => {
  const { events } = history();
  await deliverAll(bus, events);
  const first = await readModel();

  await clearDatabase();
  await deliverAll(bus, shuffled([...events, ...events.slice(0, 10)]));

  expect(await readModel()).toEqual(first);
});

it('counts each event once when its deliveries race, and every one of a seller’s racing sales', async () => {
  const sellerId = newId();
  const sold = sale(sellerId, 1234);
  const others = Array.from({ length: 8 }, () => sale(sellerId, 100));

  await Promise.all([
    ...Array.from({ length: 5 }, () => bus.deliver(sold.subject, sold.data)),
    ...others.map((o) => bus.deliver(o.subject, o.data)),
  ]);

  expect(await balanceOf(sellerId)).toBe(1234 + 800);
  expect(await Entry.countDocuments({ sellerId })).toBe(9);
  expect((await Balance.findById(sellerId).lean<BalanceFields>())?.seq).toBe(9);
});

it('adds an entry stored by a process that died before its balance write exactly once, on redelivery', async () => {
  const sellerId = newId();
  const sold = sale(sellerId, 700);
  await Entry.create({
    _id: `${Subjects.PaymentCreated}:${sold.data.id}`,
    sellerId,
    seq: 1,
    kind: EntryKind.Sale,
    amountCents: 700,
    currency: 'usd',
    paymentId: sold.data.id,
    orderId: sold.data.orderId,
  });

  expect(await deliverAll(bus, [sold, sold])).toEqual(['acked', 'acked']);

  expect(await balanceOf(sellerId)).toBe(700);
});

it('leaves an event without a whole positive amount unacked', async () => {
  const sellerId = newId();
  for (const amountCents of [0, -5, 12.5]) {
    const bad = sale(sellerId, amountCents);
    expect(await bus.deliver(bad.subject, bad.data)).toBe('unacked');
  }
  await expect(
    recordLedgerEvent({ key: 'x', kind: EntryKind.Sale, paymentId: 'p', orderId: 'o', sellerId: '', amountCents: 1, currency: 'usd' }),
  ).rejects.toThrow('no sellerId');
  expect(await Entry.countDocuments()).toBe(0);
});
