import { Subjects } from '@ticketing/common';
import { ticketCreatedData, useServiceTest } from '@ticketing/common/testing';
import { Ticket } from '../../../models/ticket';
import { orderOutbox } from '../../outbox';
import { TicketCreatedListener } from '../ticket-created-listener';

const { bus } = useServiceTest(orderOutbox);
const listener = new TicketCreatedListener(bus);
listener.listen('test');

const ticketCreated = () => ticketCreatedData({ title: 'Concert', price: 19.99 });

it('stores the replica under the ticket id and acks', async () => {
  const data = ticketCreated();

  expect(await bus.deliver(Subjects.TicketCreated, data)).toBe('acked');

  expect(await Ticket.findById(data.id).lean()).toMatchObject({ title: 'Concert', price: 19.99, userId: data.userId, version: 0 });
});

it('treats a redelivered ticket:created as a harmless duplicate', async () => {
  const data = ticketCreated();
  await listener.onMessage(data);

  await expect(listener.onMessage({ ...data, title: 'Changed in flight' })).resolves.toBeUndefined();

  expect(await Ticket.countDocuments()).toBe(1);
  expect(await Ticket.findById(data.id).lean()).toMatchObject({ title: 'Concert', version: 0 });
});

it('keeps the listing fields', async () => {
  const onSaleAt = new Date(Date.now() + 3_600_000).toISOString();
  const listing = ticketCreatedData({ quantity: 500, available: 500, onSaleAt, waitingRoom: { activeBuyers: 50 }, limitPerBuyer: 2 });

  await listener.onMessage(listing);

  expect(await Ticket.findById(listing.id).lean()).toMatchObject({
    quantity: 500,
    onSaleAt: new Date(onSaleAt),
    waitingRoom: { activeBuyers: 50 },
    limitPerBuyer: 2,
  });
});
