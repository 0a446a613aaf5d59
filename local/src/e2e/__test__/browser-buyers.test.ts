import { Page } from 'playwright-core';
import type { ApiErrors, Order, QueueStatus, Ticket } from '@ticketing/common/api';
import { ApiClient, eventually } from '../api-client';
import { type Listing } from '../system-under-test';
import { useBrowser } from '../browser';

// Buyers in a real (headless) Chromium, through the Next.js client and the gateway; the others through the API.
const { sut, pageAs } = useBrowser();

const errorOf = (body: unknown) => (body as ApiErrors | undefined)?.errors?.[0]?.message ?? '';

/** A seller's listing with a waiting room, once orders has it. */
const listWithRoom = async (listing: Omit<Listing, 'price'>, activeBuyers: number) => {
  const seller = await sut.signUp('buyers-seller');
  return sut.list(seller, { price: 20, limitPerBuyer: 4, ...listing, waitingRoom: { activeBuyers } });
};

/** Clicks "Join the waiting room" until the queue knows the listing (it hears of it by event) and the page moves on. */
const joinInBrowser = async (page: Page) => {
  for (let attempt = 0; !page.url().includes('/waiting-room') && attempt < 20; attempt++) {
    // A click that lands as the page moves on finds no button: the loop's condition then ends it.
    await page
      .getByTestId('join-queue')
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await page.waitForURL(/\/waiting-room$/, { timeout: 1_000 }).catch(() => undefined);
  }
  await page.waitForURL(/\/waiting-room$/, { timeout: 5_000 });
};

/** Another buyer in line through the API: joins (again keeps the place) until the queue knows the listing and `until` holds. */
const joinViaApi = (buyer: ApiClient, ticketId: string, until: (status: QueueStatus) => boolean = () => true) =>
  eventually(
    async () => {
      const res = await buyer.post<QueueStatus>(`/api/queue/${ticketId}/join`, {});
      return res.status === 200 && until(res.body) ? res.body : undefined;
    },
    30_000,
    'the queue to know the listing and the other buyer',
  );

/** Another buyer's admission token, once it is their turn. */
const admissionViaApi = async (buyer: ApiClient, ticketId: string) =>
  (await joinViaApi(buyer, ticketId, (status) => status.admitted)).admissionToken;

/** Another buyer's order through the API, once orders knows the listing. */
const orderViaApi = (buyer: ApiClient, ticketId: string, quantity: number, admission?: string) =>
  eventually(
    async () => {
      const res = await buyer.post<Order>('/api/orders', { ticketId, quantity, admission });
      if (res.status === 201) return res.body;
      if (res.status !== 404 && errorOf(res.body) !== 'Not on sale yet') throw new Error(`order: ${res.status} ${errorOf(res.body)}`);
      return undefined;
    },
    20_000,
    "orders to take the other buyer's order",
  );

it("follows what is left in an admitted buyer's view, live: another buyer's two of three leave one, and at most one is offered", async () => {
  const ticket = await listWithRoom({ title: 'Two Buyers Gig', quantity: 3 }, 2);
  const a = await pageAs(await sut.signUp('buyer-a'));
  const b = await sut.signUp('buyer-b');

  const liveSocket = a.waitForEvent('websocket', (socket) => socket.url().endsWith('/api/live'));
  await a.goto(`/tickets/${ticket.id}`);
  await liveSocket;
  await joinInBrowser(a);
  await a.getByTestId('queue-admitted').waitFor({ timeout: 15_000 });
  expect(await a.getByTestId('ticket-availability').textContent()).toBe('3 of 3 left');
  expect(await a.getByTestId('quantity-picker').locator('option').allTextContents()).toEqual(['1', '2', '3']);
  // Gone if the page reloads: what follows must happen in this very page.
  await a.evaluate(() => Object.assign(globalThis, { buyersTestMark: true }));

  const admission = await admissionViaApi(b, ticket.id);
  await orderViaApi(b, ticket.id, 2, admission);

  await a.locator('[data-testid="ticket-availability"][data-available="1"]').waitFor({ timeout: 10_000 });
  expect(await a.getByTestId('ticket-availability').textContent()).toBe('1 of 3 left');
  expect(await a.getByTestId('quantity-picker').count()).toBe(0);
  expect(await a.getByTestId('buy-button').textContent()).toBe('Buy ticket');
  expect(await a.evaluate(() => (globalThis as { buyersTestMark?: boolean }).buyersTestMark)).toBe(true);

  // The listing's own page says the same.
  const visitor = await pageAs();
  await visitor.goto(`/tickets/${ticket.id}`);
  expect(await visitor.getByTestId('ticket-availability').textContent()).toBe('1 of 3 left');
}, 180_000);

it('counts down to the sale, then says "estimating…" until the line has moved, and then the wait it measured', async () => {
  const ticket = await listWithRoom({ title: 'Estimate Gig', quantity: 5, onSaleAt: new Date(Date.now() + 8_000).toISOString() }, 1);
  const [first, second] = [await sut.signUp('estimate-first'), await sut.signUp('estimate-second')];
  for (const buyer of [first, second]) await joinViaApi(buyer, ticket.id);
  const page = await pageAs(await sut.signUp('estimate-third'));
  await page.goto(`/tickets/${ticket.id}`);
  await joinInBrowser(page);
  await page.locator('[data-testid="queue-position"][data-position="3"]').waitFor();
  expect(await page.getByTestId('queue-opens-in').textContent()).toMatch(/^The sale opens in 0:0\d; the line starts moving then\.$/);

  // The sale opens: its first round admits the first buyer, which measures nothing yet.
  const admission = await admissionViaApi(first, ticket.id);
  await page.locator('[data-testid="queue-position"][data-position="2"]').waitFor({ timeout: 10_000 });
  expect(await page.getByTestId('queue-eta').textContent()).toBe('Estimated wait: estimating… (measured once the line starts moving).');

  // The first buyer's turn ends with a cancelled order and the second is let in: one admission measured.
  const order = await orderViaApi(first, ticket.id, 1, admission);
  expect((await first.delete(`/api/orders/${order.id}`)).status).toBe(204);
  await page.locator('[data-testid="queue-position"][data-position="1"]').waitFor({ timeout: 10_000 });
  await page.locator('[data-testid="queue-eta"][data-eta]').waitFor({ timeout: 5_000 });
  expect(await page.getByTestId('queue-eta').textContent()).toMatch(
    /^Estimated wait: about \d+ (seconds|minutes?)\. The line lets in about \d+ buyers? (a minute|every \d+ minutes)\.$/,
  );
}, 120_000);

it('offers "Resume your turn", not "Join the waiting room", on the ticket page to a buyer whose turn it is', async () => {
  const ticket = await listWithRoom({ title: 'Resume Turn Gig', quantity: 5 }, 1);
  const page = await pageAs(await sut.signUp('resumer'));
  await page.goto(`/tickets/${ticket.id}`);
  await joinInBrowser(page);
  await page.getByTestId('queue-admitted').waitFor({ timeout: 15_000 });

  await page.goto(`/tickets/${ticket.id}`);
  expect(await page.getByTestId('resume-queue').textContent()).toBe('Resume your turn');
  expect(await page.getByTestId('join-queue').count()).toBe(0);
  await page.getByTestId('resume-queue').click();
  await page.waitForURL(/\/waiting-room$/);
  await page.getByTestId('queue-admitted').waitFor();
}, 120_000);

it('tells a signed-out visitor of a sold-out listing "Sold out", not "Sign in to buy"', async () => {
  const seller = await sut.signUp('soldout-seller');
  const ticket: Ticket = await sut.list(seller, { title: 'Sold Out Gig', price: 15, quantity: 2 });
  await orderViaApi(await sut.signUp('soldout-buyer'), ticket.id, 2);

  const visitor = await pageAs();
  // Tickets hears of the order by event: reload until its page shows nothing left.
  for (let attempt = 0; attempt < 40; attempt++) {
    await visitor.goto(`/tickets/${ticket.id}`);
    if ((await visitor.getByTestId('ticket-availability').getAttribute('data-available')) === '0') break;
    await visitor.waitForTimeout(250);
  }
  expect(await visitor.getByTestId('ticket-availability').textContent()).toBe('Sold out');
  expect(await visitor.getByTestId('ticket-sold-out').textContent()).toBe('Sold out');
  expect(await visitor.getByTestId('signin-to-buy').count()).toBe(0);
}, 120_000);
