import { Subjects } from '@ticketing/common';
import { newId, useServiceTest } from '@ticketing/common/testing';
import { ticketOutbox } from '../../events/outbox';
import { createReservedTicket, createTicket } from '../../__test__/fixtures';
import { Ticket } from '../ticket';

useServiceTest(ticketOutbox);

it('stores a new ticket at version 0 with its ticket:created event', async () => {
  const ticket = await createTicket({ title: 'Concert', price: 20 });
  const stored = await Ticket.findById(ticket.id).lean();

  expect(stored!.version).toBe(0);
  expect(stored!.outbox).toEqual([
    {
      id: expect.any(String),
      subject: Subjects.TicketCreated,
      data: {
        id: ticket.id,
        version: 0,
        title: 'Concert',
        price: 20,
        userId: ticket.userId,
        quantity: 1,
        available: 1,
        onSaleAt: null,
        waitingRoom: null,
        limitPerBuyer: 4,
      },
    },
  ]);
});

it('refuses a change made on a version that is no longer current, changing nothing', async () => {
  const ticket = await createTicket({ title: 'Concert' });
  const stale = await Ticket.findById(ticket.id);
  await Ticket.edit(ticket, { title: 'First', price: 1 });

  expect(await Ticket.edit(stale!, { title: 'Second', price: 2 })).toBeNull();
  expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ title: 'First', price: 1, version: 1 });
});

it('shows only the API fields as JSON', async () => {
  const orderId = newId();
  const ticket = await createReservedTicket(orderId);
  expect(Object.keys(ticket.toJSON()).sort()).toEqual([
    'available',
    'id',
    'limitPerBuyer',
    'onSaleAt',
    'price',
    'quantity',
    'title',
    'userId',
    'version',
    'waitingRoom',
  ]);
});
