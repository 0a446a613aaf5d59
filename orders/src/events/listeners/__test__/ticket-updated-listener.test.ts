import { OutOfOrderEventError, Subjects } from '@ticketing/common';
import { newId, ticketUpdatedData, useServiceTest } from '@ticketing/common/testing';
import { Ticket } from '../../../models/ticket';
import { stock } from '../../../services/stock';
import { createOrder, createTicket } from '../../../__test__/fixtures';
import { orderOutbox } from '../../outbox';
import { TicketUpdatedListener } from '../ticket-updated-listener';

const { bus } = useServiceTest(orderOutbox);
const listener = new TicketUpdatedListener(bus);
listener.listen('test');

const ticketUpdated = (id: string, version: number, title = `Version ${version}`) =>
  ticketUpdatedData({ id, version, title, price: 10 + version });

it('applies version N on top of N-1 and acks', async () => {
  const ticket = await createTicket({ title: 'Version 0' });

  expect(await bus.deliver(Subjects.TicketUpdated, ticketUpdated(ticket.id, 1))).toBe('acked');

  expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ title: 'Version 1', price: 11, version: 1 });
});

it('leaves a version that skips one unacked, changing nothing, and applies it once its turn comes', async () => {
  const ticket = await createTicket({ title: 'Version 0' });

  await expect(listener.onMessage(ticketUpdated(ticket.id, 2))).rejects.toBeInstanceOf(OutOfOrderEventError);
  expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ title: 'Version 0', version: 0 });

  await listener.onMessage(ticketUpdated(ticket.id, 1));
  await expect(listener.onMessage(ticketUpdated(ticket.id, 2))).resolves.toBeUndefined();
  expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ title: 'Version 2', version: 2 });
});

it('treats a redelivered or older version as a harmless duplicate', async () => {
  const ticket = await createTicket({ title: 'Version 0' });
  await listener.onMessage(ticketUpdated(ticket.id, 1));
  await listener.onMessage(ticketUpdated(ticket.id, 2));

  await expect(listener.onMessage(ticketUpdated(ticket.id, 1, 'stale'))).resolves.toBeUndefined();
  await expect(listener.onMessage(ticketUpdated(ticket.id, 2, 'again'))).resolves.toBeUndefined();

  expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ title: 'Version 2', version: 2 });
});

it('leaves an update for a ticket it has not seen created unacked', async () => {
  const id = newId();
  await expect(listener.onMessage(ticketUpdated(id, 1))).rejects.toBeInstanceOf(OutOfOrderEventError);
  expect(await Ticket.countDocuments()).toBe(0);
});

it("applies the listing fields, and leaves the units held, which are the stock's, as they are", async () => {
  const ticket = await createTicket({ quantity: 10 });
  await createOrder({ ticket, quantity: 4 });

  await listener.onMessage(
    ticketUpdatedData({
      id: ticket.id,
      version: 1,
      title: 'Renamed',
      price: 20,
      quantity: 10,
      available: 6,
      waitingRoom: { activeBuyers: 5 },
    }),
  );

  expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
    title: 'Renamed',
    quantity: 10,
    waitingRoom: { activeBuyers: 5 },
    onSaleAt: null,
  });
  expect(await stock.held(ticket.id)).toBe(4);
});
