import request from 'supertest';
import { newId, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { ticketOutbox } from '../../events/outbox';
import { createReservedTicket, createTicket } from '../../__test__/fixtures';

const app = buildApp();

useServiceTest(ticketOutbox);

it('shows a ticket to anyone', async () => {
  const ticket = await createTicket({ title: 'Concert', price: 12.5 });
  const res = await request(app).get(`/api/tickets/${ticket.id}`).expect(200);
  expect(res.body).toEqual({
    id: ticket.id,
    title: 'Concert',
    price: 12.5,
    userId: ticket.userId,
    version: 0,
    quantity: 1,
    available: 1,
    onSaleAt: null,
    waitingRoom: null,
    limitPerBuyer: 4,
  });
});

it('shows a reserved ticket with no unit available', async () => {
  const ticket = await createReservedTicket();
  const res = await request(app).get(`/api/tickets/${ticket.id}`).expect(200);
  expect(res.body).toMatchObject({ id: ticket.id, version: 1, available: 0 });
});

it('answers 404 for an unknown ticket', async () => {
  const res = await request(app).get(`/api/tickets/${newId()}`).expect(404);
  expect(res.body).toEqual({ errors: [{ message: 'Not found' }] });
});

it('answers 404, not 500, for an id that is not an ObjectId', async () => {
  await request(app).get('/api/tickets/not-an-id').expect(404);
});
