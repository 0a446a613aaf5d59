import { InvalidMessageError, Subjects } from '@ticketing/common';
import { newId, orderCancelledData, orderCreatedData, useServiceTest } from '@ticketing/common/testing';
import { rememberCancelled } from '../../../models/cancelled-order';
import { Ticket, TicketDoc } from '../../../models/ticket';
import { createReservedTicket, createTicket } from '../../../__test__/fixtures';
import { ticketOutbox } from '../../outbox';
import { OrderCancelledListener } from '../order-cancelled-listener';
import { OrderCreatedListener } from '../order-created-listener';

const { bus, published, discardPublished } = useServiceTest(ticketOutbox);
const listener = new OrderCreatedListener(bus);
listener.listen('test');

const orderCreated = (ticket: TicketDoc) => orderCreatedData({ ticket: { id: ticket.id, price: ticket.price } });

const setUp = async () => {
  const ticket = await createTicket();
  await discardPublished();
  return { ticket, data: orderCreated(ticket) };
};

it('reserves the ticket for the order and acks', async () => {
  const { ticket, data } = await setUp();

  expect(await bus.deliver(Subjects.OrderCreated, data)).toBe('acked');

  expect(await Ticket.findById(ticket.id)).toMatchObject({ holds: [{ orderId: data.id, quantity: 1 }], available: 0, version: 1 });
});

it('publishes ticket:updated with the units left and the new version', async () => {
  const { ticket, data } = await setUp();
  await listener.onMessage(data);

  expect(await published(Subjects.TicketUpdated)).toEqual([
    {
      id: ticket.id,
      version: 1,
      title: ticket.title,
      price: ticket.price,
      userId: ticket.userId,
      quantity: 1,
      available: 0,
      onSaleAt: null,
      waitingRoom: null,
      limitPerBuyer: 4,
    },
  ]);
});

it('treats a redelivered order:created as a harmless duplicate', async () => {
  const { ticket, data } = await setUp();
  await listener.onMessage(data);

  await expect(listener.onMessage(data)).resolves.toBeUndefined();

  expect(await Ticket.findById(ticket.id)).toMatchObject({ holds: [{ orderId: data.id, quantity: 1 }], available: 0, version: 1 });
  expect(await published(Subjects.TicketUpdated)).toHaveLength(1);
});

it('finds an order:created for an unknown ticket invalid: unacked, and parked if it stays so', async () => {
  const data = orderCreated(await createTicket());
  data.ticket.id = newId();

  await expect(listener.onMessage(data)).rejects.toThrow(/unknown ticket/);
  await expect(listener.onMessage(data)).rejects.toBeInstanceOf(InvalidMessageError);
  expect(await Ticket.countDocuments({ available: 0 })).toBe(0);
});

it('leaves it unacked while another order still holds the ticket, changing nothing', async () => {
  const holder = newId();
  const ticket = await createReservedTicket(holder);
  await discardPublished();

  await expect(listener.onMessage(orderCreated(ticket))).rejects.toThrow(/still held/);
  expect(await bus.deliver(Subjects.OrderCreated, orderCreated(ticket))).toBe('unacked');

  expect(await Ticket.findById(ticket.id)).toMatchObject({ holds: [{ orderId: holder, quantity: 1 }], available: 0, version: 1 });
  expect(await published(Subjects.TicketUpdated)).toEqual([]);
});

it('does not reserve for an order whose cancellation arrived first', async () => {
  const { ticket, data } = await setUp();
  await new OrderCancelledListener(bus).onMessage(orderCancelledData({ id: data.id, ticket: { id: ticket.id } }));

  await expect(listener.onMessage(data)).resolves.toBeUndefined();

  const stored = await Ticket.findById(ticket.id);
  expect(stored!.holds).toHaveLength(0);
  expect(stored!.version).toBe(0);
  expect(await published(Subjects.TicketUpdated)).toEqual([]);
});

it('rejects an order priced from an older version of the ticket, once, and acks', async () => {
  const { ticket } = await setUp();
  const edited = await Ticket.edit(ticket, { title: ticket.title, price: 35 });
  await discardPublished();
  // Orders priced the order at 20 from its replica before the edit reached it.
  const stale = orderCreatedData({ ticket: { id: ticket.id, price: 20 } });

  expect(await bus.deliver(Subjects.OrderCreated, stale)).toBe('acked');
  expect(await bus.deliver(Subjects.OrderCreated, stale, { deliveries: 2 })).toBe('acked');

  expect(await Ticket.findById(ticket.id)).toMatchObject({ price: 35, version: edited!.version });
  expect((await Ticket.findById(ticket.id))!.holds).toHaveLength(0);
  expect(await published(Subjects.ReservationRejected)).toEqual([{ orderId: stale.id, ticket: { id: ticket.id, price: 20 } }]);
  expect(await published(Subjects.TicketUpdated)).toEqual([]);
});

describe('a listing with a quantity', () => {
  const listing = async (quantity: number) => {
    const ticket = await createTicket({ quantity });
    await discardPublished();
    return ticket;
  };
  const orderOf = (ticket: TicketDoc, quantity: number, version = ticket.version) =>
    orderCreatedData({ quantity, totalCents: quantity * 2000, ticket: { id: ticket.id, price: ticket.price, version } });

  it('counts the units held and publishes what is left, naming no single holder', async () => {
    const ticket = await listing(10);
    const order = orderOf(ticket, 3);

    expect(await bus.deliver(Subjects.OrderCreated, order)).toBe('acked');

    const stored = await Ticket.findById(ticket.id);
    expect(stored).toMatchObject({ available: 7, version: 1, holds: [{ orderId: order.id, quantity: 3 }] });
    const [updated] = await published(Subjects.TicketUpdated);
    expect(updated).toMatchObject({ version: 1, quantity: 10, available: 7 });
    expect(updated).not.toHaveProperty('orderId');
  });

  it('holds a rush of simultaneous orders on one listing, each on its first delivery (none left to a redelivery)', async () => {
    const ticket = await listing(40);
    const orders = Array.from({ length: 40 }, () => orderOf(ticket, 1));

    const outcomes = await Promise.all(orders.map((order) => bus.deliver(Subjects.OrderCreated, order)));

    expect(outcomes).toEqual(orders.map(() => 'acked'));
    expect(await Ticket.findById(ticket.id)).toMatchObject({ available: 0, version: 40 });
  });

  it('counts a redelivered order once', async () => {
    const ticket = await listing(10);
    const order = orderOf(ticket, 4);
    await listener.onMessage(order);
    await listener.onMessage(order);
    expect(await Ticket.findById(ticket.id)).toMatchObject({ available: 6, version: 1 });
  });

  it('leaves an order that does not fit unacked while its units may still be on their way back', async () => {
    const ticket = await listing(4);
    await listener.onMessage(orderOf(ticket, 3));
    const next = orderOf(ticket, 2, 0);

    await expect(listener.onMessage(next)).rejects.toThrow(/still held/);
    expect(await Ticket.findById(ticket.id)).toMatchObject({ available: 1, version: 1 });
  });

  it('rejects an order placed before the seller took units off sale, once, and acks', async () => {
    const ticket = await listing(10);
    const reduced = await Ticket.edit(ticket, { quantity: 2 });
    await discardPublished();
    const stale = orderOf(ticket, 4, 0);

    expect(await bus.deliver(Subjects.OrderCreated, stale)).toBe('acked');
    expect(await bus.deliver(Subjects.OrderCreated, stale, { deliveries: 2 })).toBe('acked');

    expect(await published(Subjects.ReservationRejected)).toEqual([{ orderId: stale.id, ticket: { id: ticket.id, price: 20 } }]);
    expect(await Ticket.findById(ticket.id)).toMatchObject({ available: 2, version: reduced!.version });
  });
});

describe('orders that are cancelled', () => {
  const cancel = (ticket: TicketDoc, orderId: string) =>
    new OrderCancelledListener(bus).onMessage(orderCancelledData({ id: orderId, ticket: { id: ticket.id } }));
  /** The listing as stored, without what changes with every write anyway. */
  const storedListing = async (ticket: TicketDoc) => {
    const stored = await Ticket.collection.findOne({ _id: ticket._id });
    return JSON.stringify({ ...stored, outbox: undefined, version: undefined });
  };

  it('leave the listing document no larger, however many are placed and cancelled', async () => {
    const { ticket } = await setUp();
    const placeAndCancel = async () => {
      const order = orderCreated(ticket);
      await listener.onMessage(order);
      await cancel(ticket, order.id);
    };
    await placeAndCancel();
    const afterOne = await storedListing(ticket);

    for (let i = 0; i < 20; i++) await placeAndCancel();

    expect(await storedListing(ticket)).toBe(afterOne);
    expect(await Ticket.findById(ticket.id)).toMatchObject({ available: 1, holds: [] });
  });

  it('never keep units when the cancellation is handled while the order reserves', async () => {
    const { ticket, data } = await setUp();
    const reserve = Ticket.reserve.bind(Ticket);
    // Another process handles the whole cancellation between this one's check for it and its reservation: it
    // notes the cancellation and finds no hold to release (this process's own handler would wait for the reservation).
    jest.spyOn(Ticket, 'reserve').mockImplementationOnce(async (current, hold) => {
      await rememberCancelled(data.id, ticket.id);
      return reserve(current, hold);
    });

    await listener.onMessage(data);

    expect(await Ticket.findById(ticket.id)).toMatchObject({ available: 1, holds: [] });
    await listener.onMessage(data);
    expect(await Ticket.findById(ticket.id)).toMatchObject({ available: 1, holds: [] });
  });
});
