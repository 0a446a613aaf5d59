import { Subjects } from '@ticketing/common';
import type { TicketChangedMessage } from '@ticketing/common/api';
import {
  newId,
  orderCancelledData,
  orderCreatedData,
  paymentCreatedData,
  paymentRefundedData,
  RecordingBus,
  sendRaw,
  sessionCookie,
  signinCookie,
  testUser,
  ticketCreatedData,
  ticketUpdatedData,
  waitUntil,
} from '@ticketing/common/testing';
import { signUserToken } from '@ticketing/common';
import { buildListeners } from '../events/listeners';
import { connect, startLive, TestSocket, typesOf, waitForMessages } from './live-harness';

let live: Awaited<ReturnType<typeof startLive>>;
let sockets: TestSocket[] = [];

const open = async (url: string, options?: Parameters<typeof connect>[1]) => {
  const client = await connect(url, options);
  sockets.push(client);
  return client;
};

/** Signs a fresh user in on `count` sockets. */
const userWithSockets = async (count: number) => {
  const user = testUser();
  const cookie = signinCookie(user)[0];
  const own = [];
  for (let i = 0; i < count; i++) own.push(await open(live.url, { cookie }));
  return { user, sockets: own };
};

/** A public message after the private ones: once every socket has it, whatever was routed to it has arrived. */
const fence = async (clients: TestSocket[]) => {
  const fenceTicket = ticketCreatedData({ title: `fence-${newId()}` });
  await live.bus.deliver(Subjects.TicketCreated, fenceTicket);
  await waitUntil(
    () => clients.every((c) => c.messages.some((m) => m.type === 'ticket:changed' && m.data.id === fenceTicket.id)),
    5_000,
    'the fence',
  );
};

beforeEach(async () => {
  live = await startLive();
});

afterEach(async () => {
  for (const client of sockets) client.socket.terminate();
  sockets = [];
  await live.close();
});

it('sends every ticket change to every socket, signed in or not, with availability', async () => {
  const anonymous = await open(live.url);
  const {
    sockets: [signedIn],
  } = await userWithSockets(1);
  const ticket = ticketCreatedData({ title: 'Opera', price: 42.5 });

  await live.bus.deliver(Subjects.TicketCreated, ticket);
  await live.bus.deliver(Subjects.TicketUpdated, { ...ticket, version: 1, available: 0 });
  await live.bus.deliver(Subjects.TicketUpdated, { ...ticket, version: 2, price: 40 });

  for (const client of [anonymous, signedIn]) {
    await waitForMessages(client, 3);
    expect(client.messages).toEqual([
      { type: 'ticket:changed', data: { id: ticket.id, title: 'Opera', price: 42.5, available: true, remaining: 1, version: 0 } },
      { type: 'ticket:changed', data: { id: ticket.id, title: 'Opera', price: 42.5, available: false, remaining: 0, version: 1 } },
      { type: 'ticket:changed', data: { id: ticket.id, title: 'Opera', price: 40, available: true, remaining: 1, version: 2 } },
    ]);
  }
});

it('sends the units left of a listing with a quantity', async () => {
  const watcher = await open(live.url);
  const listing = ticketCreatedData({ title: 'Festival', price: 30, quantity: 100, available: 100 });

  await live.bus.deliver(Subjects.TicketCreated, listing);
  await live.bus.deliver(Subjects.TicketUpdated, { ...listing, version: 1, available: 96 });
  await live.bus.deliver(Subjects.TicketUpdated, { ...listing, version: 2, available: 0 });

  await waitForMessages(watcher, 3);
  expect(watcher.messages.map((message) => (message as TicketChangedMessage).data)).toEqual([
    expect.objectContaining({ version: 0, available: true, remaining: 100 }),
    expect.objectContaining({ version: 1, available: true, remaining: 96 }),
    expect.objectContaining({ version: 2, available: false, remaining: 0 }),
  ]);
});

it("sends an order's and its payment's changes to its owner's sockets only, never another user's or an anonymous one", async () => {
  const buyer = await userWithSockets(2);
  const other = await userWithSockets(1);
  const anonymous = await open(live.url);
  const order = orderCreatedData({ userId: buyer.user.id });
  const cancelled = orderCreatedData({ userId: buyer.user.id });
  const payment = paymentCreatedData({ orderId: order.id });

  await live.bus.deliver(Subjects.OrderCreated, order);
  await live.bus.deliver(Subjects.OrderCreated, cancelled);
  await live.bus.deliver(Subjects.PaymentCreated, payment);
  await live.bus.deliver(Subjects.OrderCancelled, orderCancelledData({ id: cancelled.id, ticket: { id: cancelled.ticket.id } }));
  await fence([...buyer.sockets, ...other.sockets, anonymous]);

  for (const client of buyer.sockets) {
    expect(client.messages.filter((m) => m.type !== 'ticket:changed')).toEqual([
      { type: 'order:changed', data: { id: order.id, status: 'created', ticketId: order.ticket.id } },
      { type: 'order:changed', data: { id: cancelled.id, status: 'created', ticketId: cancelled.ticket.id } },
      { type: 'payment:changed', data: { id: payment.id, orderId: order.id, status: 'succeeded' } },
      { type: 'order:changed', data: { id: order.id, status: 'complete', ticketId: order.ticket.id } },
      { type: 'order:changed', data: { id: cancelled.id, status: 'cancelled', ticketId: cancelled.ticket.id } },
    ]);
  }
  for (const client of [...other.sockets, anonymous]) expect(typesOf(client)).toEqual(['ticket:changed']);
});

it("sends a declined or refunded payment to its order's owner only, with the reason of a decline", async () => {
  const buyer = await userWithSockets(1);
  const other = await userWithSockets(1);
  const order = orderCreatedData({ userId: buyer.user.id });
  const failed = { id: newId(), orderId: order.id, reason: 'Your card was declined.' };
  const refunded = paymentRefundedData({ id: failed.id, orderId: order.id, stripeId: 'ch_refunded' });

  await live.bus.deliver(Subjects.OrderCreated, order);
  await live.bus.deliver(Subjects.PaymentFailed, failed);
  await live.bus.deliver(Subjects.PaymentRefunded, refunded);
  await fence([...buyer.sockets, ...other.sockets]);

  expect(buyer.sockets[0].messages.filter((m) => m.type === 'payment:changed')).toEqual([
    { type: 'payment:changed', data: { id: failed.id, orderId: order.id, status: 'failed', reason: 'Your card was declined.' } },
    { type: 'payment:changed', data: { id: failed.id, orderId: order.id, status: 'refunded' } },
  ]);
  expect(typesOf(other.sockets[0])).toEqual(['ticket:changed']);
});

it("sends a sale and its refund to the seller's sockets only, even when the order's owner is unknown", async () => {
  const seller = await userWithSockets(2);
  const buyer = await userWithSockets(1);
  const other = await userWithSockets(1);
  const anonymous = await open(live.url);
  const order = orderCreatedData({ userId: buyer.user.id });
  const sold = paymentCreatedData({ orderId: order.id, sellerId: seller.user.id, amountCents: 2550 });
  const unrouted = paymentCreatedData({ sellerId: seller.user.id, amountCents: 1000 });

  await live.bus.deliver(Subjects.OrderCreated, order);
  await live.bus.deliver(Subjects.PaymentCreated, sold);
  await live.bus.deliver(Subjects.PaymentCreated, unrouted);
  await live.bus.deliver(Subjects.PaymentRefunded, paymentRefundedData({ ...sold }));
  await fence([...seller.sockets, ...buyer.sockets, ...other.sockets, anonymous]);

  for (const client of seller.sockets) {
    expect(client.messages.filter((m) => m.type !== 'ticket:changed')).toEqual([
      { type: 'sale:changed', data: { orderId: order.id, amountCents: 2550, kind: 'sale' } },
      { type: 'sale:changed', data: { orderId: unrouted.orderId, amountCents: 1000, kind: 'sale' } },
      { type: 'sale:changed', data: { orderId: order.id, amountCents: -2550, kind: 'refund' } },
    ]);
  }
  expect(typesOf(buyer.sockets[0])).not.toContain('sale:changed');
  for (const client of [...other.sockets, anonymous]) expect(typesOf(client)).toEqual(['ticket:changed']);
});

it('treats a tampered or expired session as anonymous: public messages only', async () => {
  const user = testUser();
  const expired = await open(live.url, { cookie: sessionCookie(signUserToken(user, -10)) });
  const forged = await open(live.url, { cookie: sessionCookie(`${signUserToken(user)}x`) });
  const garbage = await open(live.url, { cookie: 'session=%%%not-base64' });

  await live.bus.deliver(Subjects.OrderCreated, orderCreatedData({ userId: user.id }));
  await fence([expired, forged, garbage]);

  for (const client of [expired, forged, garbage]) expect(typesOf(client)).toEqual(['ticket:changed']);
});

it('remembers whose order is whose from replayed order:created without pushing it, and routes what follows', async () => {
  const buyer = await userWithSockets(1);
  const order = orderCreatedData({ userId: buyer.user.id });

  await live.bus.deliver(Subjects.OrderCreated, order, { publishedAt: live.context.startedAt - 60_000 });
  await live.bus.deliver(Subjects.OrderCancelled, orderCancelledData({ id: order.id, ticket: { id: order.ticket.id } }));
  await fence(buyer.sockets);

  expect(buyer.sockets[0].messages.filter((m) => m.type === 'order:changed')).toEqual([
    { type: 'order:changed', data: { id: order.id, status: 'cancelled', ticketId: order.ticket.id } },
  ]);
});

it('disconnects a slow consumer instead of buffering for it, and keeps serving the others', async () => {
  await live.close();
  live = await startLive({ maxBufferedBytes: 16 * 1024 });
  const slow = await open(live.url);
  const fast = await open(live.url);
  // The socket stops reading: the kernel's buffers fill, then the server's queue.
  (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();

  const big = ticketCreatedData({ title: 'x'.repeat(4_000) });
  for (let i = 0; i < 5_000 && live.hub.stats().dropped === 0; i++) {
    await live.bus.deliver(Subjects.TicketUpdated, ticketUpdatedData({ ...big, version: i }));
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }

  expect(live.hub.stats()).toMatchObject({ dropped: 1, sockets: 1 });
  await live.bus.deliver(Subjects.TicketCreated, ticketCreatedData({ title: 'after' }));
  await waitUntil(
    () => fast.messages.some((m) => m.type === 'ticket:changed' && m.data.title === 'after'),
    5_000,
    'the fast socket still served',
  );
});

it("refuses a user's socket beyond the per-user limit with 4008, and not another user's or anonymous ones", async () => {
  await live.close();
  live = await startLive({ maxSocketsPerUser: 2 });
  const cookie = signinCookie()[0];
  await open(live.url, { cookie });
  await open(live.url, { cookie });
  const third = await open(live.url, { cookie });

  expect(await third.closed).toBe(4008);
  await userWithSockets(2);
  await open(live.url);
  await open(live.url);
  expect(live.hub.stats()).toMatchObject({ sockets: 6, users: 2 });
});

it('refuses an anonymous socket beyond the per-address limit with 4008, counting the address the gateway forwarded', async () => {
  await live.close();
  live = await startLive({ maxAnonymousSocketsPerAddress: 2 });
  const first = await open(live.url, { forwardedFor: '203.0.113.7' });
  await open(live.url, { forwardedFor: '203.0.113.7' });
  // A client may write its own X-Forwarded-For; the gateway appends the address it saw, which is the one counted.
  const spoofed = await open(live.url, { forwardedFor: '198.51.100.1, 203.0.113.7' });

  expect(await spoofed.closed).toBe(4008);
  await open(live.url, { forwardedFor: '203.0.113.8' });
  await open(live.url, { forwardedFor: '203.0.113.7', cookie: signinCookie()[0] });
  expect(live.hub.stats()).toMatchObject({ sockets: 4, users: 1 });

  first.socket.close();
  await waitUntil(() => live.hub.stats().sockets === 3, 5_000, 'the first socket gone');
  await open(live.url, { forwardedFor: '203.0.113.7' });
  expect(live.hub.stats().sockets).toBe(4);
});

it('refuses sockets beyond the process limit with 1013', async () => {
  await live.close();
  live = await startLive({ maxSockets: 2 });
  await open(live.url);
  await open(live.url);
  const third = await open(live.url);
  expect(await third.closed).toBe(1013);
});

it('drops a socket that stops answering pings, and keeps those that answer', async () => {
  await live.close();
  live = await startLive({ pingIntervalMs: 100 });
  const dead = await open(live.url);
  const alive = await open(live.url);
  (dead.socket as unknown as { _socket: { pause(): void } })._socket.pause();

  await waitUntil(() => live.hub.stats().sockets === 1, 5_000, 'the dead socket dropped');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(alive.socket.readyState).toBe(alive.socket.OPEN);
});

it('closes a socket that sends more than maxPayload (1009), and ignores smaller messages', async () => {
  const client = await open(live.url);
  client.socket.send('hello');
  client.socket.send('x'.repeat(2_000));
  expect(await client.closed).toBe(1009);
});

it('refuses an upgrade from another origin (403) or on another path (404)', async () => {
  await expect(connect(live.url, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  await expect(connect(live.url.replace('/api/live', '/api/other'))).rejects.toThrow(/404/);
  const sameOrigin = await open(live.url, { origin: live.url.replace('ws://', 'http://').replace('/api/live', '') });
  expect(sameOrigin.socket.readyState).toBe(sameOrigin.socket.OPEN);
});

it('refuses 400 an upgrade whose target does not parse, and goes on taking sockets', async () => {
  const origin = live.url.replace('ws://', 'http://').replace('/api/live', '');
  for (const target of ['//[', '//[@/../api/live', 'http://[::1'])
    expect((await sendRaw(origin, { target, upgrade: true })).status).toBe(400);
  const client = await open(live.url);
  expect(client.socket.readyState).toBe(client.socket.OPEN);
});

it('subscribes every replica to every event (broadcast), replaying only order:created, which teaches routing', () => {
  const replay = { replayMs: 3_600_000 };
  const bus = new RecordingBus();
  const context = { hub: live.hub, owners: live.context.owners, startedAt: Date.now() };
  for (const listener of buildListeners(bus, context)) listener.listen('live-service', { broadcast: replay });

  expect(bus.subscriptionOf(Subjects.OrderCreated)?.broadcast).toEqual(replay);
  for (const subject of [
    Subjects.TicketCreated,
    Subjects.TicketUpdated,
    Subjects.OrderCancelled,
    Subjects.PaymentCreated,
    Subjects.PaymentFailed,
    Subjects.PaymentRefunded,
  ]) {
    expect(bus.subscriptionOf(subject)?.broadcast).toEqual({ replayMs: undefined });
  }
});
