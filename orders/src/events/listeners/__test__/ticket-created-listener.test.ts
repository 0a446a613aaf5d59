import { TicketCreatedEvent } from '@ticketing/common';
import { useServiceTest } from '@ticketing/common/testing';
import { Ticket } from '../../../models/ticket';
import { newId } from '../../../__test__/fixtures';
import { orderOutbox } from '../../outbox';
import { TicketCreatedListener } from '../ticket-created-listener';

const { bus } = useServiceTest(orderOutbox);
const listener = new TicketCreatedListener(bus);

const ticketCreated = (): TicketCreatedEvent['data'] => ({
  id: newId(),
  version: 0,
  title: 'Concert',
  price: 19.99,
  userId: newId(),
});

it('stores the replica under the ticket id and acks', async () => {
  const data = ticketCreated();

  await expect(listener.onMessage(data)).resolves.toBeUndefined();

  expect(await Ticket.findById(data.id).lean()).toMatchObject({ title: 'Concert', price: 19.99, version: 0 });
});

it('treats a redelivered ticket:created as a harmless duplicate', async () => {
  const data = ticketCreated();
  await listener.onMessage(data);

  await expect(listener.onMessage({ ...data, title: 'Changed in flight' })).resolves.toBeUndefined();

  expect(await Ticket.countDocuments()).toBe(1);
  expect(await Ticket.findById(data.id).lean()).toMatchObject({ title: 'Concert', version: 0 });
});
