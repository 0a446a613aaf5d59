import type { LiveMessage, Order, Ticket } from '@ticketing/common/api';
import WebSocket from 'ws';
import { ApiClient, eventually, waitUntil } from '../api-client';
import { useSystem } from '../system-under-test';

// The whole system as `npm start` runs it; two real sockets through the gateway: a buyer and a watcher.
const sockets: WebSocket[] = [];
const sut = useSystem({
  connect: ({ closeAtEnd }) => {
    closeAtEnd({ close: () => sockets.forEach((socket) => socket.terminate()) });
  },
});
const { signUp } = sut;

/** A live socket through the gateway, as the page opens it (same origin, the session cookie), recording its messages. */
const openLive = async (user?: ApiClient) => {
  const headers: Record<string, string> = { Origin: sut.system.url };
  if (user) headers.Cookie = user.cookieHeader;
  const socket = new WebSocket(`${sut.system.url.replace('http', 'ws')}/api/live`, { headers });
  sockets.push(socket);
  const messages: LiveMessage[] = [];
  socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString()) as LiveMessage));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return messages;
};

const received = (messages: LiveMessage[], what: string, match: (message: LiveMessage) => boolean) =>
  waitUntil(() => messages.some(match), 10_000, what);

const ticketChange = (ticketId: string, available: boolean) => (m: LiveMessage) =>
  m.type === 'ticket:changed' && m.data.id === ticketId && m.data.available === available;

it("tells everyone a ticket is listed and reserved, and only the buyer of the order's and payment's progress", async () => {
  const seller = await signUp('live-seller');
  const buyer = await signUp('live-buyer');
  const watcher = await signUp('live-watcher');
  const buyerLive = await openLive(buyer);
  const watcherLive = await openLive(watcher);
  const anonymousLive = await openLive();

  const ticket = (await seller.post<Ticket>('/api/tickets', { title: 'Live gig', price: 30 })).body;
  for (const messages of [buyerLive, watcherLive, anonymousLive]) {
    await received(messages, 'the new ticket, available', ticketChange(ticket.id, true));
  }
  expect(watcherLive.find(ticketChange(ticket.id, true))).toEqual({
    type: 'ticket:changed',
    data: { id: ticket.id, title: 'Live gig', price: 30, available: true, remaining: 1, version: 0 },
  });

  const order = await eventually(
    async () => {
      const res = await buyer.post<Order>('/api/orders', { ticketId: ticket.id });
      return res.status === 404 ? undefined : res.body;
    },
    15_000,
    'orders to know the ticket',
  );
  await received(buyerLive, "the buyer's order, created", (m) => m.type === 'order:changed' && m.data.id === order.id);
  for (const messages of [buyerLive, watcherLive, anonymousLive]) {
    await received(messages, 'the ticket, reserved', ticketChange(ticket.id, false));
  }

  const payment = await buyer.payWhenKnown(order.id);
  expect(payment.status).toBe(202);
  await received(buyerLive, 'the order, complete', (m) => m.type === 'order:changed' && m.data.status === 'complete');
  expect(buyerLive.filter((m) => m.type !== 'ticket:changed')).toEqual([
    { type: 'order:changed', data: { id: order.id, status: 'created', ticketId: ticket.id } },
    { type: 'payment:changed', data: { id: payment.body.id, orderId: order.id, status: 'succeeded' } },
    { type: 'order:changed', data: { id: order.id, status: 'complete', ticketId: ticket.id } },
  ]);

  // A last public message: once the others have it, anything wrongly routed to them would have arrived too.
  const fence = (await seller.post<Ticket>('/api/tickets', { title: 'Fence', price: 1 })).body;
  for (const messages of [watcherLive, anonymousLive]) {
    await received(messages, 'the fence', ticketChange(fence.id, true));
    expect(messages.filter((m) => m.type !== 'ticket:changed')).toEqual([]);
  }
});

it('refuses a WebSocket from another origin through the gateway', async () => {
  const socket = new WebSocket(`${sut.system.url.replace('http', 'ws')}/api/live`, { headers: { Origin: 'https://evil.example' } });
  const status = await new Promise<number | undefined>((resolve) =>
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode)),
  );
  expect(status).toBe(403);
});
