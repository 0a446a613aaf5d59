import { BrowserContext, Page } from 'playwright-core';
import type { Order, QueueStatus, QueueStatusMessage } from '@ticketing/common/api';
import { ApiClient, eventually, uniqueEmail } from '../api-client';
import { DESKTOP, shoot, useBrowser } from '../browser';

// A person in a real (headless) Chromium, through the Next.js client and the gateway.
const { sut, newContext } = useBrowser();

const newUser = async (name: string, viewport = DESKTOP) => {
  const context = await newContext(viewport);
  const page = await context.newPage();
  const email = uniqueEmail(name);
  await page.goto('/auth/signup');
  await page.getByTestId('signup-email').fill(email);
  await page.getByTestId('signup-password').fill('password123');
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('current-user').filter({ hasText: email }).waitFor();
  return { page, email };
};

it('signs up, lists a ticket, and a second person buys and pays for it', async () => {
  const seller = await newUser('seller');
  await shoot(seller.page, '01-home-signed-in');

  await seller.page.getByTestId('nav-sell').click();
  await seller.page.getByTestId('ticket-title').fill('Browser Test Concert');
  await seller.page.getByTestId('ticket-price').fill('24.50');
  await shoot(seller.page, '02-new-ticket');
  await seller.page.getByTestId('ticket-submit').click();
  await seller.page.getByTestId('ticket-detail-title').filter({ hasText: 'Browser Test Concert' }).waitFor();
  await shoot(seller.page, '03-ticket-created');

  // The buyer uses a phone-sized screen.
  const buyer = await newUser('buyer', { width: 390, height: 844 });
  await buyer.page.goto('/');
  await buyer.page.getByTestId('ticket-card').filter({ hasText: 'Browser Test Concert' }).getByTestId('ticket-link').click();
  await buyer.page.getByTestId('buy-button').waitFor();
  await shoot(buyer.page, '04-ticket-page-phone');

  // The orders service may not have the ticket yet; the page then shows the API's error and the buyer tries again.
  for (let attempt = 0; !buyer.page.url().includes('/orders/') && attempt < 40; attempt++) {
    await buyer.page.getByTestId('buy-button').click();
    await buyer.page.waitForURL(/\/orders\//, { timeout: 500 }).catch(() => undefined);
  }
  await buyer.page.getByTestId('countdown').waitFor();
  expect(await buyer.page.getByTestId('order-status').getAttribute('data-status')).toBe('created');
  expect(await buyer.page.getByTestId('order-price').textContent()).toContain('24.50');
  await shoot(buyer.page, '05-order-countdown-phone');

  await buyer.page.getByTestId('test-token').selectOption('tok_visa');
  await buyer.page.getByTestId('pay-button').click();
  await buyer.page.getByTestId('payment-success').waitFor();
  await shoot(buyer.page, '06-paid-phone');

  // payment:created reaches orders; "My orders" shows the order complete.
  let status: string | null = null;
  for (let attempt = 0; status !== 'complete' && attempt < 30; attempt++) {
    await buyer.page.goto('/orders');
    status = await buyer.page.getByTestId('order-row-status').first().getAttribute('data-status');
    if (status !== 'complete') await buyer.page.waitForTimeout(500);
  }
  expect(status).toBe('complete');
  await shoot(buyer.page, '07-my-orders-phone');

  // The ticket is sold: no longer listed.
  await seller.page.goto('/');
  await seller.page.getByTestId('ticket-list').or(seller.page.getByTestId('tickets-empty')).waitFor();
  expect(await seller.page.getByTestId('ticket-card').filter({ hasText: 'Browser Test Concert' }).count()).toBe(0);
  await shoot(seller.page, '08-home-after-sale');
}, 180_000);

it('shows the API error next to the form that caused it', async () => {
  const { page } = await newUser('errors');
  await page.goto('/tickets/new');
  await page.getByTestId('ticket-title').fill('   ');
  await page.getByTestId('ticket-price').fill('-5');
  await page.getByTestId('ticket-submit').click();
  await page.getByTestId('ticket-title-error').waitFor();
  expect(await page.getByTestId('ticket-title-error').textContent()).toMatch(/title/i);
  expect(await page.getByTestId('ticket-price-error').textContent()).toMatch(/price/i);
  expect(page.url()).toContain('/tickets/new');
  await shoot(page, '09-form-error');
}, 60_000);

describe('where sign-in sends you next', () => {
  const siteOrigin = () => new URL(sut.system.url).origin;

  // Raw query strings, as a link in a phishing mail would carry them.
  const HOSTILE_NEXT = [
    '/%09/evil.com',
    '%2F%09%2Fevil.com',
    '/%0A/evil.com',
    '%2F%2Fevil.com',
    '/%5Cevil.com',
    '/.//evil.com',
    'https%3A%2F%2Fevil.com',
    'javascript%3Aalert(1)',
  ];

  /** Any other origin answers with a stub page: an escape shows up as a URL, never as a network call. */
  const stubOtherOrigins = (context: BrowserContext) =>
    context.route(
      (url) => url.origin !== siteOrigin(),
      (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>another origin</h1>' }),
    );

  const guardedContext = async () => {
    const context = await newContext();
    await stubOtherOrigins(context);
    return context;
  };

  const signIn = async (page: Page, email: string) => {
    await page.getByTestId('signin-email').fill(email);
    await page.getByTestId('signin-password').fill('password123');
    await page.getByTestId('signin-submit').click();
    await page.waitForURL((url) => url.pathname !== '/auth/signin');
  };

  const landing = (url: string) => {
    const { origin, pathname, search } = new URL(url, sut.system.url);
    return { origin, path: `${pathname}${search}` };
  };

  it('after signing in, a hostile next ends on this site', async () => {
    const { page: signupPage, email } = await newUser('next-hostile');
    await signupPage.context().close();
    for (const next of ['/%09/evil.com', '%2F%09%2Fevil.com', '/%0A/evil.com', 'https%3A%2F%2Fevil.com']) {
      const context = await guardedContext();
      const page = await context.newPage();
      await page.goto(`/auth/signin?next=${next}`);
      await signIn(page, email);
      expect({ next, ...landing(page.url()) }).toEqual({ next, origin: siteOrigin(), path: '/' });
      await page.getByTestId('current-user').filter({ hasText: email }).waitFor();
      await context.close();
    }
  }, 90_000);

  it('sends a signed-in visitor of the sign-in and sign-up pages on, server-side, to this site only', async () => {
    const { page } = await newUser('next-signed-in');
    await stubOtherOrigins(page.context());
    const cases: Array<[string, string]> = [
      ...HOSTILE_NEXT.map((next): [string, string] => [next, '/']),
      ['/orders', '/orders'],
      ['%2Forders%3Fx%3D1', '/orders?x=1'],
      [encodeURIComponent(`${siteOrigin()}/orders?x=1`), '/orders?x=1'],
    ];
    for (const mode of ['signin', 'signup']) {
      for (const [next, path] of cases) {
        const response = await page.request.get(`/auth/${mode}?next=${next}`, { maxRedirects: 0 });
        const location = response.headers()['location'] ?? '';
        expect({ mode, next, status: response.status(), ...landing(location) }).toEqual({
          mode,
          next,
          status: 307,
          origin: siteOrigin(),
          path,
        });
      }
    }
    // The same through the browser itself, which is what reads the Location header in the end.
    for (const next of ['/%09/evil.com', '/%5Cevil.com']) {
      await page.goto(`/auth/signin?next=${next}`);
      expect({ next, ...landing(page.url()) }).toEqual({ next, origin: siteOrigin(), path: '/' });
    }
  }, 60_000);

  it('takes a legitimate next to its page', async () => {
    const { page: signupPage, email } = await newUser('next-orders');
    await signupPage.context().close();
    const context = await guardedContext();
    const page = await context.newPage();
    // /orders asks a visitor to sign in first, with next=/orders.
    await page.goto('/orders');
    await page.waitForURL((url) => url.pathname === '/auth/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/orders');
    await signIn(page, email);
    expect(landing(page.url())).toEqual({ origin: siteOrigin(), path: '/orders' });
    await page.getByTestId('current-user').filter({ hasText: email }).waitFor();
    // Signed in now, so the sign-in page sends them straight on.
    await page.goto('/auth/signin?next=/orders');
    expect(landing(page.url())).toEqual({ origin: siteOrigin(), path: '/orders' });
    await context.close();
  }, 60_000);
});

it("shows another page the reservation within 2 s, and flips the buyer's order to paid, without a reload", async () => {
  const seller = await newUser('live-seller');
  await seller.page.goto('/tickets/new');
  await seller.page.getByTestId('ticket-title').fill('Live Browser Gig');
  await seller.page.getByTestId('ticket-price').fill('12');
  await seller.page.getByTestId('ticket-submit').click();
  await seller.page.getByTestId('ticket-detail-title').filter({ hasText: 'Live Browser Gig' }).waitFor();
  const ticketPath = new URL(seller.page.url()).pathname;

  const watcher = await newUser('live-watcher');
  const buyer = await newUser('live-buyer');
  // A marker that a reload would wipe: the pages must change in place.
  const markNoReload = (page: Page) => page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
  const notReloaded = (page: Page) => page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded === true);
  await watcher.page.goto(ticketPath);
  await watcher.page.getByTestId('buy-button').waitFor();
  await markNoReload(watcher.page);
  expect(await watcher.page.getByTestId('ticket-reserved').count()).toBe(0);

  await buyer.page.goto(ticketPath);
  for (let attempt = 0; !buyer.page.url().includes('/orders/') && attempt < 40; attempt++) {
    await buyer.page.getByTestId('buy-button').click();
    await buyer.page.waitForURL(/\/orders\//, { timeout: 500 }).catch(() => undefined);
  }
  await buyer.page.getByTestId('countdown').waitFor();
  await watcher.page.getByTestId('ticket-reserved').waitFor({ timeout: 2_000 });
  expect(await notReloaded(watcher.page)).toBe(true);
  await shoot(watcher.page, '10-live-reserved-elsewhere');

  await markNoReload(buyer.page);
  await buyer.page.getByTestId('test-token').selectOption('tok_visa');
  await buyer.page.getByTestId('pay-button').click();
  await buyer.page.locator('[data-testid="order-status"][data-status="complete"]').waitFor({ timeout: 5_000 });
  expect(await notReloaded(buyer.page)).toBe(true);
  expect(await buyer.page.getByTestId('live-down').count()).toBe(0);
  await shoot(buyer.page, '11-live-order-paid');
}, 120_000);

it("shows the seller, on My sales, a sale's new balance and entry within a few seconds, without a reload", async () => {
  const seller = await newUser('sales-seller');
  await seller.page.goto('/tickets/new');
  await seller.page.getByTestId('ticket-title').fill('Sales Page Show');
  await seller.page.getByTestId('ticket-price').fill('31.25');
  await seller.page.getByTestId('ticket-submit').click();
  await seller.page.getByTestId('ticket-detail-title').filter({ hasText: 'Sales Page Show' }).waitFor();
  const ticketPath = new URL(seller.page.url()).pathname;

  await seller.page.getByTestId('nav-sales').click();
  await seller.page.waitForURL(/\/sales$/);
  expect(await seller.page.getByTestId('sales-balance').textContent()).toBe('$0.00');
  await seller.page.getByTestId('sales-empty').waitFor();
  await seller.page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));

  const buyer = await newUser('sales-buyer');
  await buyer.page.goto(ticketPath);
  for (let attempt = 0; !buyer.page.url().includes('/orders/') && attempt < 40; attempt++) {
    await buyer.page.getByTestId('buy-button').click();
    await buyer.page.waitForURL(/\/orders\//, { timeout: 500 }).catch(() => undefined);
  }
  await buyer.page.getByTestId('countdown').waitFor();
  const orderId = new URL(buyer.page.url()).pathname.split('/').pop();
  await buyer.page.getByTestId('test-token').selectOption('tok_visa');
  await buyer.page.getByTestId('pay-button').click();
  await buyer.page.getByTestId('payment-success').waitFor();

  await seller.page.locator('[data-testid="sales-balance"][data-cents="3125"]').waitFor({ timeout: 5_000 });
  expect(await seller.page.getByTestId('sales-balance').textContent()).toBe('$31.25');
  const entry = seller.page.getByTestId('sales-entry');
  expect(await entry.count()).toBe(1);
  expect(await entry.getAttribute('data-kind')).toBe('sale');
  expect(await entry.getAttribute('data-order-id')).toBe(orderId);
  expect(await entry.getByTestId('sales-entry-amount').textContent()).toBe('$31.25');
  expect(await seller.page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded === true)).toBe(true);
  await shoot(seller.page, '12-live-my-sales');
}, 120_000);

describe('a hot on-sale: countdown, waiting room, admission, order and payment', () => {
  /** A datetime-local value `msFromNow` ahead, in the page's own time zone (the form reads it as local time). */
  const localTimeFromNow = (page: Page, msFromNow: number) =>
    page.evaluate((at) => {
      const d = new Date(at);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    }, Date.now() + msFromNow);

  /** Lists through the form, with a waiting room of one buyer at a time; answers the ticket's path and id. */
  const listWithWaitingRoom = async (
    page: Page,
    { title, quantity, onSaleAt, shot }: { title: string; quantity: number; onSaleAt: string | null; shot?: string },
  ) => {
    await page.goto('/tickets/new');
    await page.getByTestId('ticket-title').fill(title);
    await page.getByTestId('ticket-price').fill('20');
    await page.getByTestId('ticket-quantity').fill(String(quantity));
    await page.getByTestId('ticket-limit-per-buyer').fill('2');
    if (onSaleAt) await page.getByTestId('ticket-on-sale-at').fill(onSaleAt);
    await page.getByTestId('ticket-waiting-room').check();
    await page.getByTestId('ticket-active-buyers').fill('1');
    if (shot) await shoot(page, shot);
    await page.getByTestId('ticket-submit').click();
    await page.getByTestId('ticket-detail-title').filter({ hasText: title }).waitFor();
    await page.getByTestId('ticket-limit-per-buyer').filter({ hasText: 'Up to 2 tickets per buyer.' }).waitFor();
    const ticketPath = new URL(page.url()).pathname;
    return { ticketPath, ticketId: ticketPath.split('/').pop() ?? '' };
  };

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** `check` until it answers, a quarter second apart: API calls, not a busy loop. */
  const retry = <T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string) =>
    eventually(async () => (await check()) ?? (await pause(250), undefined), timeoutMs, what);

  /** Another buyer, through the API: in line first, so the browser's buyer is behind them. */
  const joinViaApi = (buyer: ApiClient, ticketId: string) =>
    retry(
      async () => {
        const res = await buyer.post<QueueStatus>(`/api/queue/${ticketId}/join`, {});
        return res.status === 200 ? res.body : undefined;
      },
      20_000,
      'the queue to know the listing',
    );

  const admissionOf = (buyer: ApiClient, ticketId: string) =>
    retry(
      async () => {
        const res = await buyer.get<QueueStatus>(`/api/queue/${ticketId}/me`);
        return res.status === 200 && res.body.admitted ? res.body.admissionToken : undefined;
      },
      30_000,
      'the first buyer to be admitted',
    );

  /** Another buyer's order of one unit, placed with their admission. */
  const orderViaApi = (buyer: ApiClient, ticketId: string, admission: string) =>
    retry(
      async () => {
        // Orders hears of the listing (and of its new sale time) by event: 404 and "Not on sale yet" until then.
        const res = await buyer.post<Order>('/api/orders', { ticketId, quantity: 1, admission });
        return res.status === 201 ? res.body : undefined;
      },
      20_000,
      "orders to take the first buyer's order",
    );

  /** Ends the other buyer's turn the way a buyer would: an order placed with the admission, then cancelled. */
  const orderAndCancelViaApi = async (buyer: ApiClient, ticketId: string, admission: string) => {
    const order = await orderViaApi(buyer, ticketId, admission);
    expect((await buyer.delete(`/api/orders/${order.id}`)).status).toBe(204);
  };

  /** Clicks "Join the waiting room" until the queue knows the listing and the page moves on. */
  const joinInBrowser = async (page: Page) => {
    for (let attempt = 0; !page.url().includes('/waiting-room') && attempt < 40; attempt++) {
      await page.getByTestId('join-queue').click();
      await page.waitForURL(/\/waiting-room$/, { timeout: 500 }).catch(() => undefined);
    }
    await page.waitForURL(/\/waiting-room$/, { timeout: 5_000 });
  };

  /** The queue:status messages the page's queue socket receives. */
  const recordQueuePushes = (page: Page) => {
    const pushes: QueueStatusMessage[] = [];
    page.on('websocket', (socket) => {
      if (!socket.url().includes('/api/queue/')) return;
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string') pushes.push(JSON.parse(payload) as QueueStatusMessage);
      });
    });
    return pushes;
  };

  /** Reloads the listing's page until it shows `text` as what is left (orders and payments reach tickets by event). */
  const waitForAvailability = async (page: Page, ticketPath: string, text: string) => {
    let shown: string | null = null;
    for (let attempt = 0; shown !== text && attempt < 30; attempt++) {
      await page.goto(ticketPath);
      shown = await page.getByTestId('ticket-availability').textContent();
      if (shown !== text) await page.waitForTimeout(500);
    }
    expect(shown).toBe(text);
  };

  /** Picks two tickets, orders them with the admission, pays with the stripe-mock test card, and sees the order complete. */
  const orderTwoAndPay = async (page: Page, shotPrefix?: string) => {
    await page.getByTestId('quantity-picker').selectOption('2');
    expect(await page.getByTestId('order-form-total').textContent()).toBe('$40.00');
    if (shotPrefix) await shoot(page, `${shotPrefix}-quantity-phone`);
    await page.getByTestId('buy-button').click();
    await page.waitForURL(/\/orders\//, { timeout: 15_000 });
    await page.getByTestId('countdown').waitFor();
    expect(await page.getByTestId('order-quantity').textContent()).toBe('2');
    expect(await page.getByTestId('order-total').textContent()).toBe('$40.00');
    expect(await page.getByTestId('pay-button').textContent()).toBe('Pay $40.00');
    if (shotPrefix) await shoot(page, `${shotPrefix}-order-phone`);
    await page.getByTestId('test-token').selectOption('tok_visa');
    await page.getByTestId('pay-button').click();
    await page.getByTestId('payment-success').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="order-status"][data-status="complete"]').waitFor({ timeout: 30_000 });
  };

  it('takes a buyer from the countdown through the waiting room, behind another buyer, to a paid order of two', async () => {
    const seller = await newUser('rush-seller');
    const buyer = await newUser('rush-buyer', { width: 390, height: 844 });
    const first = await sut.signUp('rush-first');
    const pushes = recordQueuePushes(buyer.page);

    // Listed an hour ahead, so that both buyers are surely in line before it opens; brought forward below.
    const { ticketPath, ticketId } = await listWithWaitingRoom(seller.page, {
      title: 'Rush Hour Gig',
      quantity: 10,
      onSaleAt: await localTimeFromNow(seller.page, 3_600_000),
      shot: '13-onsale-listing-form',
    });
    expect(await seller.page.getByTestId('ticket-availability').textContent()).toBe('10 of 10 left');

    await buyer.page.goto(ticketPath);
    await buyer.page.getByTestId('sale-countdown').waitFor();
    expect(await buyer.page.getByTestId('sale-countdown-value').textContent()).toMatch(/^(5\d:\d\d|1:00:00)$/);
    expect(await buyer.page.getByTestId('ticket-availability').textContent()).toBe('10 of 10 left');
    await shoot(buyer.page, '14-onsale-countdown-phone');

    expect(await joinViaApi(first, ticketId)).toMatchObject({ position: 1, ahead: 0, admitted: false });
    await joinInBrowser(buyer.page);
    const place = buyer.page.getByTestId('queue-position');
    await buyer.page.locator('[data-testid="queue-position"][data-position="2"]').waitFor();
    expect(await place.textContent()).toBe('You are number #2 in line.');
    expect(await place.locator('xpath=ancestor::*[@aria-live="polite"]').count()).toBe(1);
    expect(await buyer.page.getByTestId('queue-ahead').textContent()).toBe('1 person is ahead of you.');
    const progressAt2 = Number(await buyer.page.getByTestId('queue-progress').getAttribute('aria-valuenow'));
    expect(progressAt2).toBeGreaterThan(0);
    expect(progressAt2).toBeLessThan(100);
    await shoot(buyer.page, '15-onsale-waiting-room-phone');

    // The seller brings the sale forward to a few seconds from now; the queue then admits the first buyer.
    await seller.page.goto(`${ticketPath}/edit`);
    await seller.page.getByTestId('ticket-on-sale-at').fill(await localTimeFromNow(seller.page, 5_000));
    await seller.page.getByTestId('ticket-submit').click();
    await seller.page.waitForURL((url) => url.pathname === ticketPath);
    const admission = await admissionOf(first, ticketId);
    await buyer.page.locator('[data-testid="queue-position"][data-position="1"]').waitFor({ timeout: 10_000 });
    expect(await buyer.page.getByTestId('queue-ahead').textContent()).toBe('You are next.');
    expect(Number(await buyer.page.getByTestId('queue-progress').getAttribute('aria-valuenow'))).toBeGreaterThan(progressAt2);

    // The first buyer's turn ends with their cancelled order: the slot goes to the browser's buyer, pushed live.
    await orderAndCancelViaApi(first, ticketId, admission);
    await buyer.page.getByTestId('queue-admitted').waitFor({ timeout: 15_000 });
    await buyer.page.getByTestId('admission-countdown').waitFor();
    expect(pushes.some((message) => message.type === 'queue:status' && message.data.admitted)).toBe(true);
    expect(await buyer.page.getByTestId('queue-polling').count()).toBe(0);
    await shoot(buyer.page, '16-onsale-admitted-phone');

    await orderTwoAndPay(buyer.page, '17-onsale');
    await shoot(buyer.page, '18-onsale-paid-phone');

    // Two of ten sold; the first buyer's cancelled unit is back on sale; the seller was paid for two.
    await waitForAvailability(seller.page, ticketPath, '8 of 10 left');
    let balance: string | null = null;
    for (let attempt = 0; balance !== '4000' && attempt < 30; attempt++) {
      await seller.page.goto('/sales');
      balance = await seller.page.getByTestId('sales-balance').getAttribute('data-cents');
      if (balance !== '4000') await seller.page.waitForTimeout(500);
    }
    expect(balance).toBe('4000');
    await seller.page.goto(ticketPath);
    await shoot(seller.page, '19-onsale-seller-after');
  }, 240_000);

  it('keeps the waiting room moving by polling when its socket is refused', async () => {
    const seller = await newUser('poll-seller');
    const buyer = await newUser('poll-buyer');
    const first = await sut.signUp('poll-first');
    // Every queue socket of this page is closed at once, as a proxy that drops WebSockets would.
    await buyer.page.routeWebSocket(/\/api\/queue\//, (socket) => socket.close());
    const meReads: string[] = [];
    buyer.page.on('request', (request) => {
      if (/\/api\/queue\/[^/]+\/me$/.test(new URL(request.url()).pathname)) meReads.push(request.url());
    });

    // Two units: the buyer's order of two sells the listing out.
    const { ticketPath, ticketId } = await listWithWaitingRoom(seller.page, { title: 'Polling Fallback Gig', quantity: 2, onSaleAt: null });
    // On sale now: the first buyer is admitted, and the browser's buyer waits behind them.
    await joinViaApi(first, ticketId);
    const admission = await admissionOf(first, ticketId);

    await buyer.page.goto(ticketPath);
    expect(await buyer.page.getByTestId('sale-countdown').count()).toBe(0);
    await joinInBrowser(buyer.page);
    await buyer.page.locator('[data-testid="queue-position"][data-position="1"]').waitFor();
    await buyer.page.getByTestId('queue-polling').waitFor({ timeout: 10_000 });
    await shoot(buyer.page, '20-onsale-polling');

    await orderAndCancelViaApi(first, ticketId, admission);
    await buyer.page.getByTestId('queue-admitted').waitFor({ timeout: 20_000 });
    expect(meReads.length).toBeGreaterThan(0);
    await orderTwoAndPay(buyer.page);
    await waitForAvailability(seller.page, ticketPath, 'Sold out');
    await shoot(seller.page, '21-onsale-sold-out');
  }, 180_000);

  it('shows "Sold out" in the waiting room while nothing is left, keeping the place, and the place again once a unit is back', async () => {
    const seller = await newUser('soldout-seller');
    const buyer = await newUser('soldout-buyer');
    const first = await sut.signUp('soldout-first');
    const second = await sut.signUp('soldout-second');
    const { ticketPath, ticketId } = await listWithWaitingRoom(seller.page, { title: 'Last Unit Gig', quantity: 1, onSaleAt: null });
    // On sale now: the first buyer is admitted; the second, then the browser's buyer, wait behind them.
    await joinViaApi(first, ticketId);
    const admission = await admissionOf(first, ticketId);
    await joinViaApi(second, ticketId);
    // Straight to the waiting room, which offers to join in place.
    await buyer.page.goto(`${ticketPath}/waiting-room`);
    await buyer.page.getByTestId('join-queue').click();
    await buyer.page.locator('[data-testid="queue-position"][data-position="2"]').waitFor();

    // The first buyer's order takes the only unit: the page says so at once, and keeps the buyer's place.
    const order = await orderViaApi(first, ticketId, admission);
    await buyer.page.getByTestId('queue-sold-out').waitFor({ timeout: 10_000 });
    expect(await buyer.page.getByTestId('queue-sold-out').textContent()).toContain('Sold out');
    expect(await buyer.page.getByTestId('queue-sold-out').textContent()).toContain('#2');
    await shoot(buyer.page, '22-onsale-waiting-sold-out');

    // The order is cancelled: the unit is back, the second buyer is admitted, and the page shows the place again.
    expect((await first.delete(`/api/orders/${order.id}`)).status).toBe(204);
    await buyer.page.locator('[data-testid="queue-position"][data-position="1"]').waitFor({ timeout: 15_000 });
    expect(await buyer.page.getByTestId('queue-sold-out').count()).toBe(0);
  }, 180_000);
});
