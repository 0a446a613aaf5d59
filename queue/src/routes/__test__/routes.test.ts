import request from 'supertest';
import { Subjects, verifyAdmissionToken } from '@ticketing/common';
import type { QueueStatus } from '@ticketing/common/api';
import { signinCookie, testUser } from '@ticketing/common/testing';
import { listing, newTicketId, startReplica, type Replica } from '../../__test__/queue-harness';

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica();
});
afterAll(() => replica.close());

const openRoom = async (activeBuyers: number) => {
  const ticketId = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, activeBuyers));
  return ticketId;
};

it('asks to sign in before joining or asking for one’s place', async () => {
  const ticketId = await openRoom(1);
  await request(replica.app).post(`/api/queue/${ticketId}/join`).expect(401);
  await request(replica.app).get(`/api/queue/${ticketId}/me`).expect(401);
});

it('answers 404 for a listing without a waiting room, an unknown one and an id that is not an ObjectId', async () => {
  const cookie = signinCookie();
  const plain = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, { ...listing(plain, 1), waitingRoom: null });
  for (const ticketId of [plain, newTicketId(), 'not-an-id']) {
    await request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', cookie).expect(404);
    await request(replica.app).get(`/api/queue/${ticketId}/me`).set('Cookie', cookie).expect(404);
  }
});

it('admits the first joiner at once with a token orders accepts, and lines the next up behind', async () => {
  const ticketId = await openRoom(1);
  const first = testUser();
  const second = testUser();

  const admitted = await request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie(first)).expect(200);
  const waiting = await request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie(second)).expect(200);

  const status = admitted.body as QueueStatus;
  expect(status).toMatchObject({ ticketId, position: 0, ahead: 0, admitted: true });
  const token = verifyAdmissionToken(status.admissionToken ?? '', { userId: first.id, ticketId });
  expect(token).toMatchObject({ admissionId: `${ticketId}.1`, userId: first.id, ticketId });
  expect(Math.abs((token?.expiresAt.getTime() ?? 0) - Date.parse(status.admissionExpiresAt ?? ''))).toBeLessThan(1_000);
  expect(verifyAdmissionToken(status.admissionToken ?? '', { userId: second.id, ticketId })).toBeUndefined();

  // Only the opening admission was made: no pace is measured yet, so the wait is "estimating" (null).
  expect(waiting.body).toEqual({
    ticketId,
    position: 1,
    ahead: 0,
    etaSeconds: null,
    admissionsPerMinute: null,
    onSaleAt: null,
    admitted: false,
    soldOut: false,
  });
  const me = await request(replica.app).get(`/api/queue/${ticketId}/me`).set('Cookie', signinCookie(second)).expect(200);
  expect(me.body).toEqual(waiting.body);
});

it('runs an admission round at a join only while the listing may admit: on sale and not sold out', async () => {
  const kick = jest.spyOn(replica.rounds, 'kick');
  try {
    const later = newTicketId();
    await replica.bus.deliver(Subjects.TicketCreated, listing(later, 1, { onSaleAt: new Date(Date.now() + 3_600_000).toISOString() }));
    const soldOut = newTicketId();
    await replica.bus.deliver(Subjects.TicketCreated, listing(soldOut, 1, { available: 0 }));
    for (const ticketId of [later, soldOut]) {
      const res = await request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie()).expect(200);
      expect(res.body).toMatchObject({ ticketId, position: 1, admitted: false });
    }
    expect(kick).not.toHaveBeenCalled();

    const onSale = await openRoom(1);
    await request(replica.app).post(`/api/queue/${onSale}/join`).set('Cookie', signinCookie()).expect(200);
    expect(kick).toHaveBeenCalledWith(onSale);
  } finally {
    kick.mockRestore();
  }
});

it('keeps a buyer’s place when they join again', async () => {
  const ticketId = await openRoom(1);
  const buyers = [testUser(), testUser(), testUser()];
  for (const buyer of buyers) await request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie(buyer)).expect(200);

  const again = await request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie(buyers[1])).expect(200);

  expect(again.body).toMatchObject({ position: 1, ahead: 0, admitted: false });
  const last = await request(replica.app).get(`/api/queue/${ticketId}/me`).set('Cookie', signinCookie(buyers[2])).expect(200);
  expect(last.body).toMatchObject({ position: 2, ahead: 1 });
});

it('says position 0 to a signed-in user who has not joined', async () => {
  const ticketId = await openRoom(3);
  const me = await request(replica.app).get(`/api/queue/${ticketId}/me`).set('Cookie', signinCookie()).expect(200);
  expect(me.body).toEqual({
    ticketId,
    position: 0,
    ahead: 0,
    etaSeconds: 0,
    admissionsPerMinute: null,
    onSaleAt: null,
    admitted: false,
    soldOut: false,
  });
});

it('answers a plain GET of the socket path with 426', async () => {
  const res = await request(replica.app).get(`/api/queue/${newTicketId()}/ws`).expect(426);
  expect(res.headers.upgrade).toBe('websocket');
});
