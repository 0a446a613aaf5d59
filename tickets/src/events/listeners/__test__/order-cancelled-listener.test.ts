import { InvalidMessageError, Subjects } from '@ticketing/common';
import { newId, orderCancelledData, useServiceTest } from '@ticketing/common/testing';
import { Ticket } from '../../../models/ticket';
import { createReservedTicket, createTicket } from '../../../__test__/fixtures';
import { ticketOutbox } from '../../outbox';
import { OrderCancelledListener } from '../order-cancelled-listener';

const { bus, published, discardPublished } = useServiceTest(ticketOutbox);
const listener = new OrderCancelledListener(bus);
listener.listen('test');

const orderCancelled = (orderId: string, ticketId: string) => orderCancelledData({ id: orderId, ticket: { id: ticketId } });

const reservedTicket = async () => {
  const orderId = newId();
  const ticket = await createReservedTicket(orderId);
  await discardPublished();
  return { ticket, data: orderCancelled(orderId, ticket.id) };
};

it('releases the ticket held by the cancelled order and acks', async () => {
  const { ticket, data } = await reservedTicket();

  expect(await bus.deliver(Subjects.OrderCancelled, data)).toBe('acked');

  const stored = await Ticket.findById(ticket.id);
  expect(stored).toMatchObject({ available: 1, holds: [] });
  expect(stored!.version).toBe(2);
});

it('publishes ticket:updated with the unit back, at the new version', async () => {
  const { ticket, data } = await reservedTicket();
  await listener.onMessage(data);

  expect(await published(Subjects.TicketUpdated)).toEqual([
    {
      id: ticket.id,
      version: 2,
      title: ticket.title,
      price: ticket.price,
      userId: ticket.userId,
      quantity: 1,
      available: 1,
      onSaleAt: null,
      waitingRoom: null,
      limitPerBuyer: 4,
    },
  ]);
});

it('puts the released ticket back on sale', async () => {
  const { ticket, data } = await reservedTicket();
  await listener.onMessage(data);

  expect(await Ticket.find({ available: { $gt: 0 } })).toHaveLength(1);
  expect((await Ticket.findById(ticket.id))!.toJSON()).toMatchObject({ available: 1 });
});

it('treats a redelivered order:cancelled as a harmless duplicate', async () => {
  const { ticket, data } = await reservedTicket();
  await listener.onMessage(data);

  await expect(listener.onMessage(data)).resolves.toBeUndefined();

  expect((await Ticket.findById(ticket.id))!.version).toBe(2);
  expect(await published(Subjects.TicketUpdated)).toHaveLength(1);
});

it('acks without touching a ticket that another order holds', async () => {
  const holder = newId();
  const ticket = await createReservedTicket(holder);
  await discardPublished();

  await expect(listener.onMessage(orderCancelled(newId(), ticket.id))).resolves.toBeUndefined();

  expect(await Ticket.findById(ticket.id)).toMatchObject({ holds: [{ orderId: holder, quantity: 1 }], available: 0, version: 1 });
  expect(await published(Subjects.TicketUpdated)).toEqual([]);
});

it('finds an order:cancelled for an unknown ticket invalid: unacked, and parked if it stays so', async () => {
  await createTicket();
  const data = orderCancelled(newId(), newId());
  await expect(listener.onMessage(data)).rejects.toThrow(/unknown ticket/);
  await expect(listener.onMessage(data)).rejects.toBeInstanceOf(InvalidMessageError);
});

it("gives a multi-unit order's units back, once, and leaves the others' held", async () => {
  const ticket = await Ticket.build({ title: 'Festival', price: 20, userId: newId(), quantity: 10 }).save();
  const first = { orderId: newId(), quantity: 3 };
  const second = { orderId: newId(), quantity: 2 };
  const held = await Ticket.reserve((await Ticket.reserve(ticket, first))!, second);
  expect(held).toMatchObject({ available: 5 });
  await discardPublished();

  await listener.onMessage(orderCancelledData({ id: first.orderId, ticket: { id: ticket.id } }));
  await listener.onMessage(orderCancelledData({ id: first.orderId, ticket: { id: ticket.id } }));

  expect(await Ticket.findById(ticket.id)).toMatchObject({ available: 8, version: 3, holds: [second] });
  expect(await published(Subjects.TicketUpdated)).toEqual([expect.objectContaining({ version: 3, available: 8, quantity: 10 })]);
});
