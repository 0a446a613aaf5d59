import request from 'supertest';
import { Subjects } from '@ticketing/common';
import type * as Api from '@ticketing/common/api';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { ticketOutbox } from '../../events/outbox';
import { Ticket } from '../../models/ticket';
import { createReservedTicket, createTicket } from '../../__test__/fixtures';

const app = buildApp();

const { published, discardPublished } = useServiceTest(ticketOutbox);

const update = (id: string, body: unknown, cookie?: string[]) => {
  const req = request(app).put(`/api/tickets/${id}`);
  return (cookie ? req.set('Cookie', cookie) : req).send(body as object);
};

const ownedTicket = async () => {
  const userId = newId();
  const ticket = await createTicket({ title: 'Concert', price: 20, userId });
  await discardPublished();
  return { ticket, owner: signinCookie({ id: userId }) };
};

it('lets the owner change title and price: 200, version bumped, ticket:updated published', async () => {
  const { ticket, owner } = await ownedTicket();

  const res = await update(ticket.id, { title: 'Opera', price: 35.5 }, owner).expect(200);

  const expected = {
    id: ticket.id,
    title: 'Opera',
    price: 35.5,
    userId: ticket.userId,
    version: 1,
    quantity: 1,
    available: 1,
    onSaleAt: null,
    waitingRoom: null,
    limitPerBuyer: 4,
  };
  expect(res.body).toEqual(expected);
  expect(await Ticket.findById(ticket.id)).toMatchObject({ title: 'Opera', price: 35.5, version: 1 });
  expect(await published(Subjects.TicketUpdated)).toEqual([expected]);
});

it('answers 401 when not signed in', async () => {
  const { ticket } = await ownedTicket();
  await update(ticket.id, { title: 'Opera', price: 35 }).expect(401);
  expect(await Ticket.findById(ticket.id)).toMatchObject({ title: 'Concert', version: 0 });
});

it('answers 401 to someone who does not own the ticket, changing and publishing nothing', async () => {
  const { ticket } = await ownedTicket();
  const res = await update(ticket.id, { title: 'Mine now', price: 1 }, signinCookie()).expect(401);

  expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
  expect(await Ticket.findById(ticket.id)).toMatchObject({ title: 'Concert', price: 20, version: 0 });
  expect(await published(Subjects.TicketUpdated)).toEqual([]);
});

it('answers 404 for an unknown ticket and for an id that is not an ObjectId', async () => {
  await update(newId(), { title: 'Opera', price: 35 }, signinCookie()).expect(404);
  await update('not-an-id', { title: 'Opera', price: 35 }, signinCookie()).expect(404);
});

it('refuses to change the price of a reserved ticket with 400', async () => {
  const userId = newId();
  const ticket = await createReservedTicket(undefined, { userId });
  await discardPublished();

  const res = await update(ticket.id, { title: 'Opera', price: 35 }, signinCookie({ id: userId })).expect(400);

  expect(res.body).toEqual({ errors: [{ message: 'Cannot change the price or quantity of a listing with units reserved or sold' }] });
  expect(await Ticket.findById(ticket.id)).toMatchObject({ title: 'Concert', version: 1 });
  expect(await published(Subjects.TicketUpdated)).toEqual([]);
});

it.each([
  ['an empty title', { title: '', price: 10 }, 'title'],
  ['a missing price', { title: 'Opera' }, 'price'],
  ['a price with three decimals', { title: 'Opera', price: 9.999 }, 'price'],
  ['a negative price', { title: 'Opera', price: -1 }, 'price'],
  ['a price given as a string', { title: 'Opera', price: '10.00' }, 'price'],
  ['a price below what Stripe charges (0.49)', { title: 'Opera', price: 0.49 }, 'price'],
  ['a price above what Stripe charges (1,000,000)', { title: 'Opera', price: 1_000_000 }, 'price'],
  ['a title given as an operator object', { title: { $ne: null }, price: 10 }, 'title'],
])('rejects %s with 400, leaving the ticket as it was', async (_case, body, field) => {
  const { ticket, owner } = await ownedTicket();
  const res = await update(ticket.id, body, owner).expect(400);

  expect((res.body as Api.ApiErrors).errors).toEqual([{ message: expect.any(String), field }]);
  expect(await Ticket.findById(ticket.id)).toMatchObject({ title: 'Concert', price: 20, version: 0 });
});

it('applies simultaneous edits one after another, each with its own version and event', async () => {
  const { ticket, owner } = await ownedTicket();

  const results = await Promise.all([1, 2, 3, 4, 5].map((n) => update(ticket.id, { title: `Edit ${n}`, price: n }, owner)));

  expect(results.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
  expect((await Ticket.findById(ticket.id))!.version).toBe(5);
  const events = await published(Subjects.TicketUpdated);
  expect(events.map((event) => event.version)).toEqual([1, 2, 3, 4, 5]);
  // Each event describes the edit that made its version.
  for (const event of events) expect(event.price).toBe(Number(event.title.replace('Edit ', '')));
});

describe('a listing with a quantity', () => {
  const ownedListing = async (quantity: number) => {
    const userId = newId();
    const ticket = await createTicket({ title: 'Festival', price: 20, quantity, userId });
    await discardPublished();
    return { ticket, owner: signinCookie({ id: userId }) };
  };
  const holdUnits = async (ticket: Awaited<ReturnType<typeof createTicket>>, quantity: number) => {
    const held = await Ticket.reserve(ticket, { orderId: newId(), quantity });
    if (!held) throw new Error('could not hold the test units');
    await discardPublished();
    return held;
  };

  it('changes quantity and the other listing fields while nothing is held, keeping what the body leaves out', async () => {
    const { ticket, owner } = await ownedListing(10);

    const res = await update(ticket.id, { title: 'Festival', price: 25, quantity: 40, onSaleAt: '2027-01-01T10:00:00Z' }, owner).expect(
      200,
    );
    expect(res.body).toMatchObject({ price: 25, quantity: 40, available: 40, onSaleAt: '2027-01-01T10:00:00.000Z', waitingRoom: null });

    const kept = await update(ticket.id, { title: 'Renamed', price: 25 }, owner).expect(200);
    expect(kept.body).toMatchObject({ title: 'Renamed', quantity: 40, onSaleAt: '2027-01-01T10:00:00.000Z' });
    expect(await published(Subjects.TicketUpdated)).toEqual([
      expect.objectContaining({ version: 1, quantity: 40, available: 40 }),
      expect.objectContaining({ version: 2, title: 'Renamed', quantity: 40, available: 40 }),
    ]);
  });

  it('refuses to change the price or quantity while units are held, with 400, changing nothing', async () => {
    const { ticket, owner } = await ownedListing(10);
    await holdUnits(ticket, 3);

    for (const body of [
      { title: 'Festival', price: 25 },
      { title: 'Festival', price: 20, quantity: 12 },
    ]) {
      const res = await update(ticket.id, body, owner).expect(400);
      expect(res.body).toEqual({ errors: [{ message: 'Cannot change the price or quantity of a listing with units reserved or sold' }] });
    }
    expect(await Ticket.findById(ticket.id)).toMatchObject({ price: 20, quantity: 10, available: 7, version: 1 });
    expect(await published(Subjects.TicketUpdated)).toEqual([]);
  });

  it('changes the limit per buyer, even while units are held, keeping it when the body leaves it out', async () => {
    const { ticket, owner } = await ownedListing(10);
    await holdUnits(ticket, 3);

    const res = await update(ticket.id, { title: 'Festival', price: 20, limitPerBuyer: 6 }, owner).expect(200);
    expect(res.body).toMatchObject({ limitPerBuyer: 6, available: 7 });
    const kept = await update(ticket.id, { title: 'Festival, day 2', price: 20 }, owner).expect(200);
    expect(kept.body).toMatchObject({ limitPerBuyer: 6 });
    expect(await published(Subjects.TicketUpdated)).toEqual([
      expect.objectContaining({ version: 2, limitPerBuyer: 6 }),
      expect.objectContaining({ version: 3, limitPerBuyer: 6 }),
    ]);
  });

  it.each([0, 11, 1.5])('refuses a limit per buyer of %j with 400 naming it, changing nothing', async (limitPerBuyer) => {
    const { ticket, owner } = await ownedListing(10);

    const res = await update(ticket.id, { title: 'Festival', price: 20, limitPerBuyer }, owner).expect(400);
    expect((res.body as { errors: unknown[] }).errors).toEqual([
      { message: 'limitPerBuyer must be a whole number from 1 to 10', field: 'limitPerBuyer' },
    ]);
    expect(await Ticket.findById(ticket.id)).toMatchObject({ limitPerBuyer: 4, version: 0 });
  });

  it('still lets the seller retitle it or set a waiting room while units are held', async () => {
    const { ticket, owner } = await ownedListing(10);
    await holdUnits(ticket, 3);

    const res = await update(ticket.id, { title: 'Festival, day 2', price: 20, waitingRoom: { activeBuyers: 5 } }, owner).expect(200);

    expect(res.body).toMatchObject({ title: 'Festival, day 2', quantity: 10, available: 7, waitingRoom: { activeBuyers: 5 } });
  });
});
