import { toCents } from '@ticketing/common';
import type { Balance, Order, Ticket, User } from '@ticketing/common/api';

/** Demo data for the no-cluster mode: two users, a few tickets, and sales, created through the gateway. */
export const demoUsers = [
  { email: 'alice@example.com', password: 'password123' },
  { email: 'bob@example.com', password: 'password123' },
];

/** Listed by alice, for sale. */
export const demoTickets = [
  { title: 'Concert: The Midnight Owls', price: 45 },
  { title: 'Football: home final', price: 79.5 },
  { title: 'Theatre: Hamlet, row F', price: 32.25 },
];

/** Listed by alice and bought by bob, so that alice's balance is not zero. */
export const demoSales = [
  { title: 'Jazz night, table 4', price: 25 },
  { title: 'Comedy club: late show', price: 18.75 },
];

const SEED_WAIT_MS = 20_000;

interface Session {
  id: string;
  cookie: string;
}

const sessionOf = async (url: string, user: { email: string; password: string }): Promise<Session> => {
  let res = await fetch(`${url}/api/users/signup`, post(user));
  if (res.status === 400) res = await fetch(`${url}/api/users/signin`, post(user));
  if (!res.ok) throw new Error(`seeding ${user.email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((setCookie) => setCookie.split(';')[0])
    .join('; ');
  return { id: ((await res.json()) as User).id, cookie };
};

/** The titles `sellerId` has for sale now, read page by page. */
const titlesForSale = async (url: string, sellerId: string): Promise<Set<string>> => {
  const titles = new Set<string>();
  for (let cursor: string | null = ''; cursor !== null;) {
    const res: Response = await fetch(`${url}/api/tickets?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    for (const ticket of (await res.json()) as Ticket[]) if (ticket.userId === sellerId) titles.add(ticket.title);
    cursor = res.headers.get('x-next-cursor');
  }
  return titles;
};

/** The titles of the tickets `buyer` has orders for that were not cancelled. */
const titlesOrdered = async (url: string, buyer: string): Promise<Set<string>> => {
  const res = await fetch(`${url}/api/orders`, { headers: { Cookie: buyer } });
  const orders = (await res.json()) as Order[];
  return new Set(orders.filter((order) => order.status !== 'cancelled').map((order) => order.ticket.title));
};

const post = (body: unknown, cookie?: string): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
  body: JSON.stringify(body),
});

const listTicket = async (url: string, seller: string, ticket: { title: string; price: number }): Promise<string> => {
  const res = await fetch(`${url}/api/tickets`, post(ticket, seller));
  if (!res.ok) throw new Error(`seeding ticket "${ticket.title}": ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
};

/** `attempt` again while it answers 404: the service it asks learns of the record through an event. */
const once404Passes = async (what: string, attempt: () => Promise<Response>): Promise<Response> => {
  const deadline = Date.now() + SEED_WAIT_MS;
  for (;;) {
    const res = await attempt();
    if (res.status !== 404 || Date.now() > deadline) {
      if (!res.ok) throw new Error(`seeding ${what}: ${res.status} ${await res.text()}`);
      return res;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Bob orders and pays for the ticket (a test card); payments charges it in the background. */
const sell = async (url: string, seller: string, buyer: string, ticket: { title: string; price: number }) => {
  const ticketId = await listTicket(url, seller, ticket);
  const order = await once404Passes(`an order for "${ticket.title}"`, () => fetch(`${url}/api/orders`, post({ ticketId }, buyer)));
  const orderId = ((await order.json()) as { id: string }).id;
  await once404Passes(`the payment of "${ticket.title}"`, () => fetch(`${url}/api/payments`, post({ orderId, token: 'tok_visa' }, buyer)));
};

/** Waits until the seller's balance has grown by `cents`, so that the demo shows it at once. */
const awaitBalance = async (url: string, seller: string, cents: number): Promise<number> => {
  const deadline = Date.now() + SEED_WAIT_MS;
  for (;;) {
    const res = await fetch(`${url}/api/balances/me`, { headers: { Cookie: seller } });
    const balance = (await res.json()) as Balance;
    if (balance.balanceCents >= cents || Date.now() > deadline) return balance.balanceCents;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Creates what is not there yet: run again on the same data, it lists and sells nothing twice. */
export const seedDemoData = async (url: string): Promise<string[]> => {
  const [aliceSession, { cookie: bob }] = await Promise.all(demoUsers.map((user) => sessionOf(url, user)));
  const alice = aliceSession.cookie;
  const listed = await titlesForSale(url, aliceSession.id);
  for (const ticket of demoTickets.filter(({ title }) => !listed.has(title))) await listTicket(url, alice, ticket);
  const before = await awaitBalance(url, alice, 0);
  const bought = await titlesOrdered(url, bob);
  const newSales = demoSales.filter(({ title }) => !bought.has(title));
  for (const ticket of newSales) await sell(url, alice, bob, ticket);
  const sold = newSales.reduce((sum, ticket) => sum + toCents(ticket.price), 0);
  const balance = await awaitBalance(url, alice, before + sold);
  return [
    ...demoUsers.map((user) => `user ${user.email} / ${user.password}`),
    `${demoTickets.length + demoSales.length} tickets listed by ${demoUsers[0].email}, ${demoSales.length} of them bought by ${demoUsers[1].email}`,
    `${demoUsers[0].email}'s balance: ${balance} cents`,
  ];
};
