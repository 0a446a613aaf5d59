import { setTimeout as sleep } from 'timers/promises';
import request from 'supertest';
import { Subjects, verifyAdmissionToken } from '@ticketing/common';
import { sendRaw, signinCookie, testUser, waitUntil } from '@ticketing/common/testing';
import {
  connect,
  lastStatus,
  listing,
  newTicketId,
  startReplica,
  testPrefix,
  waitForStatus,
  type Replica,
} from '../../__test__/queue-harness';
import { UserSockets } from '../user-sockets';

const replicas: Replica[] = [];
const start = async (options: Parameters<typeof startReplica>[0] = {}) => {
  const replica = await startReplica(options);
  replicas.push(replica);
  return replica;
};
afterEach(async () => {
  await Promise.all(replicas.splice(0).map((replica) => replica.close()));
});

const openRoom = async (replica: Replica, activeBuyers: number) => {
  const ticketId = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, activeBuyers));
  return ticketId;
};

const cookieHeader = (user = testUser()) => ({ Cookie: signinCookie(user)[0] });

it('refuses a socket without a session (401), from another origin (403), or on a listing without a waiting room (404)', async () => {
  const replica = await start();
  const ticketId = await openRoom(replica, 1);
  await expect(connect(replica.origin, ticketId)).rejects.toThrow('upgrade refused: 401');
  await expect(connect(replica.origin, ticketId, { ...cookieHeader(), Origin: 'https://evil.example' })).rejects.toThrow(
    'upgrade refused: 403',
  );
  await expect(connect(replica.origin, newTicketId(), cookieHeader())).rejects.toThrow('upgrade refused: 404');
  const same = await connect(replica.origin, ticketId, { ...cookieHeader(), Origin: `http://${replica.origin}` });
  same.socket.close();
});

it('refuses 400 an upgrade whose target does not parse, and goes on taking sockets', async () => {
  const replica = await start();
  const ticketId = await openRoom(replica, 1);
  for (const target of ['//[', `//[@/../api/queue/${ticketId}/ws`, 'http://[::1'])
    expect((await sendRaw(`http://${replica.origin}`, { target, upgrade: true, headers: cookieHeader() })).status).toBe(400);
  const client = await connect(replica.origin, ticketId, cookieHeader());
  client.socket.close();
});

it('sends a waiting buyer their position at once and again at every push interval, as the line moves', async () => {
  const replica = await start({ pushIntervalMs: 200 });
  const ticketId = await openRoom(replica, 1);
  const [first, waiting] = [testUser(), testUser()];
  const second = testUser();
  for (const user of [first, second, waiting])
    await request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie(user));

  const client = await connect(replica.origin, ticketId, cookieHeader(waiting));
  await waitForStatus(client, (status) => status.position === 2, 'the first status');
  const before = client.messages.length;
  await waitForStatus(client, () => client.messages.length >= before + 3, 'three more pushes');

  expect(client.messages.every((message) => message.type === 'queue:status' && message.data.ticketId === ticketId)).toBe(true);
  expect(lastStatus(client)).toMatchObject({ position: 2, ahead: 1, admitted: false });
  client.socket.close();
});

it('pushes an admission made by another replica to this replica’s socket, with a token for this buyer', async () => {
  const keyPrefix = testPrefix();
  // Pushes far apart: the admission can only arrive through the change channel.
  const holding = await start({ keyPrefix, pushIntervalMs: 60_000 });
  const admitting = await start({ keyPrefix, pushIntervalMs: 60_000 });
  const ticketId = await openRoom(admitting, 1);
  const [first, buyer] = [testUser(), testUser()];
  await request(admitting.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie(first));
  await request(admitting.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie(buyer));
  const client = await connect(holding.origin, ticketId, cookieHeader(buyer));
  await waitForStatus(client, (status) => status.position === 1, 'the first status');

  // The first buyer's order is cancelled, on the admitting replica: the slot goes to our buyer.
  await admitting.room.orderPlaced(`${ticketId}.1`, 'order-1', Date.now() + 60_000);
  await admitting.bus.deliver(Subjects.OrderCancelled, { id: 'order-1', version: 1, ticket: { id: ticketId } });

  await waitForStatus(client, (status) => status.admitted, 'the admission');
  const admitted = lastStatus(client);
  expect(admitted).toMatchObject({ position: 0, admitted: true });
  expect(verifyAdmissionToken(admitted?.admissionToken ?? '', { userId: buyer.id, ticketId })).toMatchObject({
    admissionId: `${ticketId}.2`,
  });
  client.socket.close();
});

it('pushes the end of an admission when its time runs out', async () => {
  const replica = await start({ pushIntervalMs: 60_000, admissionMs: 300, admissionGraceMs: 0, rounds: true });
  const ticketId = await openRoom(replica, 1);
  const buyer = testUser();
  const client = await connect(replica.origin, ticketId, cookieHeader(buyer));
  await request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie(buyer));

  await waitForStatus(client, (status) => status.admitted, 'the admission');
  await waitForStatus(client, () => lastStatus(client)?.admitted === false, 'the end of the admission');
  expect(lastStatus(client)).toMatchObject({ ticketId, position: 0, ahead: 0, etaSeconds: 0, admitted: false, soldOut: false });
  client.socket.close();
});

it('closes a user’s socket beyond the per-user limit with 4008', async () => {
  const replica = await start({ maxSocketsPerUser: 1 });
  const ticketId = await openRoom(replica, 1);
  const user = testUser();
  const first = await connect(replica.origin, ticketId, cookieHeader(user));
  const second = await connect(replica.origin, ticketId, cookieHeader(user));
  expect(await second.closed).toBe(4008);
  first.socket.close();
});

/** `count` buyers join the listing in order, each with a socket open on `replica`, and each has had a first status. */
const waitingCrowd = async (replica: Replica, ticketId: string, count: number) => {
  const buyers = Array.from({ length: count }, () => testUser());
  for (const buyer of buyers) await request(replica.app).post(`/api/queue/${ticketId}/join`).set('Cookie', signinCookie(buyer));
  const clients = await Promise.all(buyers.map((buyer) => connect(replica.origin, ticketId, cookieHeader(buyer))));
  await Promise.all(clients.map((client) => waitForStatus(client, (status) => status.position > 0, 'a first status')));
  return clients;
};

const later = () => new Date(Date.now() + 3_600_000).toISOString();

it('tells every waiting socket at once when the listing sells out, far back too, and their places again when units are back', async () => {
  // No periodic push in the test's time, and every waiter but the first "far back": only the change can tell them.
  const replica = await start({ pushIntervalMs: 60_000, frontOfLine: 1, backOfLineEvery: 1_000 });
  const ticketId = newTicketId();
  const onSaleAt = later();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, 1, { onSaleAt }));
  const clients = await waitingCrowd(replica, ticketId, 6);

  await replica.bus.deliver(Subjects.TicketUpdated, listing(ticketId, 1, { version: 1, onSaleAt, available: 0 }));
  await waitUntil(() => clients.every((client) => lastStatus(client)?.soldOut === true), 2_000, 'every socket told sold out');
  expect(clients.map((client) => lastStatus(client)?.position)).toEqual([1, 2, 3, 4, 5, 6]);

  await replica.bus.deliver(Subjects.TicketUpdated, listing(ticketId, 1, { version: 2, onSaleAt, available: 3 }));
  await waitUntil(() => clients.every((client) => lastStatus(client)?.soldOut === false), 2_000, 'every socket told units are back');
  expect(clients.map((client) => lastStatus(client)?.position)).toEqual([1, 2, 3, 4, 5, 6]);
  for (const client of clients) client.socket.close();
});

it('reads one command per listing per push cycle, however many wait, and ranks each waiter from it', async () => {
  const replica = await start({ pushIntervalMs: 100 });
  const ticketId = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, 1, { onSaleAt: later() }));
  const clients = await waitingCrowd(replica, ticketId, 40);
  const heads = jest.spyOn(replica.room, 'lineHead');
  const reads = jest.spyOn(replica.room, 'standing');

  // The sale opens: the buyer at the head is admitted; the others each move up one place, computed from the new head.
  await replica.bus.deliver(Subjects.TicketUpdated, listing(ticketId, 1, { version: 1 }));
  await replica.rounds.kick(ticketId);
  await waitUntil(() => clients.slice(1).every((client, i) => lastStatus(client)?.position === i + 1), 5_000, 'everyone moved up');
  await sleep(1_000);

  expect(lastStatus(clients[0])).toMatchObject({ admitted: true });
  // The admitted buyer's own status is read again (their change), no one else's.
  expect(new Set(reads.mock.calls.map(([, userId]) => userId)).size).toBeLessThanOrEqual(1);
  expect(heads.mock.calls.length).toBeGreaterThan(5);
  expect(heads.mock.calls.every(([listingId]) => listingId === ticketId)).toBe(true);
  expect(heads.mock.calls.length).toBeLessThan(40);
  for (const client of clients) client.socket.close();
});

it('sends the front of the line its place every push, and those further back every backOfLineEvery pushes', async () => {
  const replica = await start({ pushIntervalMs: 100, frontOfLine: 2, backOfLineEvery: 5 });
  const ticketId = newTicketId();
  await replica.bus.deliver(Subjects.TicketCreated, listing(ticketId, 1, { onSaleAt: later() }));
  const clients = await waitingCrowd(replica, ticketId, 6);
  const before = clients.map((client) => client.messages.length);
  await sleep(3_000);
  const sent = clients.map((client, i) => client.messages.length - before[i]);

  const [front, back] = [sent.slice(0, 2), sent.slice(2)];
  for (const count of front) expect(count).toBeGreaterThanOrEqual(10);
  for (const count of back) expect(count).toBeGreaterThanOrEqual(1);
  for (const count of back) expect(count).toBeLessThanOrEqual(Math.ceil(Math.min(...front) / 5) + 1);
  for (const client of clients) client.socket.close();
});

describe("a user's sockets across waiting rooms and queue processes", () => {
  it('are capped together: one more than maxSocketsPerUser, on any listing and any replica, is closed with 4008', async () => {
    const keyPrefix = testPrefix();
    const [one, two] = [await start({ keyPrefix, maxSocketsPerUser: 2 }), await start({ keyPrefix, maxSocketsPerUser: 2 })];
    const [first, second] = [await openRoom(one, 1), await openRoom(one, 1)];
    const user = testUser();
    const a = await connect(one.origin, first, cookieHeader(user));
    await connect(two.origin, second, cookieHeader(user));

    const third = await connect(two.origin, first, cookieHeader(user));
    expect(await third.closed).toBe(4008);
    const other = await connect(one.origin, second, cookieHeader());

    a.socket.close();
    await waitUntil(async () => (await one.redis.commands.zcard(`${keyPrefix}sockets:${user.id}`)) === 1, 5_000, 'the lease given back');
    const again = await connect(two.origin, second, cookieHeader(user));
    await waitForStatus(again, () => true, 'a status on the socket that took the freed place');
    other.socket.close();
  });

  it('keep counting while open (their process renews them), and stop once a dead process stops renewing', async () => {
    const keyPrefix = testPrefix();
    const replica = await start({ keyPrefix, maxSocketsPerUser: 1, socketLeaseMs: 300 });
    const [ticketId, another] = [await openRoom(replica, 1), await openRoom(replica, 1)];
    const [user, crashed] = [testUser(), testUser()];
    const open = await connect(replica.origin, ticketId, cookieHeader(user));
    // A process that died holding a socket of `crashed`: its lease is never renewed nor given back (nothing keeps it).
    await new UserSockets(replica.redis.commands, { keyPrefix, maxSocketsPerUser: 1, leaseMs: 300 }).claim(crashed.id);

    await sleep(900);
    expect(await (await connect(replica.origin, another, cookieHeader(user))).closed).toBe(4008);
    const revived = await connect(replica.origin, ticketId, cookieHeader(crashed));
    await waitForStatus(revived, () => true, 'a status for the user whose dead socket lapsed');
    open.socket.close();
  });

  it('are claimed and renewed by their scripts’ SHA1 (EVALSHA), the text sent at most once per connection', async () => {
    const keyPrefix = testPrefix();
    const replica = await start({ keyPrefix, socketLeaseMs: 300 });
    const ticketId = await openRoom(replica, 1);
    const monitor = await replica.redis.commands.duplicate().monitor();
    const calls: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((arg) => arg.startsWith(`${keyPrefix}sockets:`))) calls.push(args[0].toLowerCase());
    });
    try {
      const clients = [];
      for (let i = 0; i < 3; i++) clients.push(await connect(replica.origin, ticketId, cookieHeader()));
      await sleep(400);
      for (const client of clients) client.socket.close();
      const scripts = calls.filter((call) => call.startsWith('eval'));
      expect(scripts.filter((call) => call === 'evalsha').length).toBeGreaterThanOrEqual(3);
      expect(scripts.filter((call) => call === 'eval').length).toBeLessThanOrEqual(2);
    } finally {
      monitor.disconnect();
    }
  });
});
