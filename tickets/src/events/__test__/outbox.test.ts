import request from 'supertest';
import { logger, Subjects } from '@ticketing/common';
import type * as Api from '@ticketing/common/api';
import { signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { Ticket } from '../../models/ticket';
import { ticketOutbox } from '../outbox';

const app = buildApp();

const { bus, published } = useServiceTest(ticketOutbox);

it('keeps a stored change whose publish failed and publishes it on the next relay run', async () => {
  const log = jest.spyOn(logger, 'error').mockImplementation(() => {});
  bus.fail(); // the event bus is unreachable
  const res = await request(app).post('/api/tickets').set('Cookie', signinCookie()).send({ title: 'Concert', price: 20 }).expect(201);
  const { id } = res.body as Api.Ticket;

  expect(await published(Subjects.TicketCreated)).toEqual([]);
  expect((await Ticket.findById(id))!.outbox).toHaveLength(1);

  expect(log).toHaveBeenCalledWith(expect.stringContaining(`[outbox] Ticket ${id}: relay failed (attempt 1)`));
  log.mockRestore();
  bus.recover();
  expect(await published(Subjects.TicketCreated)).toEqual([expect.objectContaining({ id, version: 0 })]);
  expect((await Ticket.findById(id))!.outbox).toHaveLength(0);
});
