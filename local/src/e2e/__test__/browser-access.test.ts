/// <reference lib="dom" />
// page.evaluate bodies run in the browser.
import type { AxeResults } from 'axe-core';
import { Page } from 'playwright-core';
import type { Order, Ticket } from '@ticketing/common/api';
import { ApiClient, eventually, uniqueEmail } from '../api-client';
import { useBrowser } from '../browser';

// Accessibility and sign-in refusals, as a person with a keyboard, a screen reader or a phone meets them.
const { sut, pageAs } = useBrowser();

const AXE_SCRIPT = require.resolve('axe-core/axe.min.js');

interface Violation {
  rule: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
const seriousViolations = async (page: Page): Promise<Violation[]> => {
  await page.addScriptTag({ path: AXE_SCRIPT });
  const results = await page.evaluate(() => (window as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run());
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact ?? '',
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }));
};

describe('axe-core finds no serious or critical violation', () => {
  let seller: ApiClient;
  let buyer: ApiClient;
  let ticket: Ticket;
  let hotTicket: Ticket;
  let order: Order;

  beforeAll(async () => {
    seller = await sut.signUp('a11y-seller');
    buyer = await sut.signUp('a11y-buyer');
    ticket = await sut.list(seller, { title: 'Accessible Concert', price: 30, quantity: 3 });
    hotTicket = (await seller.post<Ticket>('/api/tickets', { title: 'Accessible Rush', price: 40, waitingRoom: { activeBuyers: 1 } })).body;
    order = (await buyer.post<Order>('/api/orders', { ticketId: ticket.id })).body;
    // A paid order too, so that My orders shows the "Paid" badge.
    const paid = (await buyer.post<Order>('/api/orders', { ticketId: ticket.id })).body;
    await buyer.payWhenKnown(paid.id);
    await eventually(
      async () => ((await buyer.get<Order>(`/api/orders/${paid.id}`)).body.status === 'complete' ? true : undefined),
      20_000,
      'the order to be paid',
    );
  }, 60_000);

  // My listings (another page being built): add its row here once it exists.
  const pages: [string, () => ApiClient, () => string, string][] = [
    ['home', () => buyer, () => '/', 'ticket-list'],
    ['ticket', () => buyer, () => `/tickets/${ticket.id}`, 'ticket-detail-title'],
    ['waiting-room', () => buyer, () => `/tickets/${hotTicket.id}/waiting-room`, 'waiting-room-title'],
    ['order', () => buyer, () => `/orders/${order.id}`, 'order-ticket-title'],
    ['My orders', () => buyer, () => '/orders', 'order-row-status'],
    ['My sales', () => seller, () => '/sales', 'current-user'],
  ];

  it.each(pages)(
    'on the %s page',
    async (_name, user, path, shownBy) => {
      const page = await pageAs(user());
      await page.goto(path());
      await page.getByTestId(shownBy).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    },
    60_000,
  );
});

describe('focus', () => {
  it('moves to the first invalid input, then to the form errors, after a failed sign-in', async () => {
    const page = await pageAs();
    await page.goto('/auth/signin');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-email-error').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');

    await page.getByTestId('signin-email').fill(uniqueEmail('nobody'));
    await page.getByTestId('signin-password').fill('wrong-password');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('form-errors').filter({ hasText: 'Invalid credentials' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('form-errors');
    await page.context().close();
  }, 60_000);

  it("moves to the new page's heading after a page change", async () => {
    const page = await pageAs(await sut.signUp('a11y-nav'));
    await page.goto('/');
    await page.getByTestId('current-user').waitFor();
    await page.getByTestId('nav-orders').click();
    await page.waitForURL(/\/orders$/);
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('My orders');
    await page.context().close();
  }, 60_000);

  it('moves to the heading after signing out, on the home page too', async () => {
    const page = await pageAs(await sut.signUp('a11y-signout'));
    await page.goto('/');
    await page.getByTestId('signout').click();
    await page.getByTestId('signin-link').waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1', undefined, { timeout: 2_000 });
    await page.context().close();
  }, 60_000);

  it('starts with a skip link to the content, and rings what has focus at 3:1 or more', async () => {
    const page = await pageAs(await sut.signUp('a11y-keys'));
    await page.goto('/');
    await page.getByTestId('current-user').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    await page.getByTestId('nav-orders').focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return {
        style: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        color: style.outlineColor,
        page: getComputedStyle(document.body).backgroundColor,
      };
    });
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    expect(contrast(ring.color, ring.page)).toBeGreaterThanOrEqual(3);
    await page.context().close();
  }, 60_000);
});

/** Waits (briefly: React focuses in an effect, just after the render) until the element of `testId` has focus. */
const focusOn = (page: Page, testId: string) =>
  page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === id, testId, { timeout: 2_000 });

/** WCAG's contrast ratio of two opaque `rgb(r, g, b)` colours. */
const contrast = (a: string, b: string) => {
  const luminance = (color: string) => {
    const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
      const s = Number(c) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
};

it('shows the whole email and a one-line Sign out in the header of a 375 px phone', async () => {
  const page = await pageAs(await sut.signUp('long-name'), { width: 375, height: 812 });
  await page.goto('/');
  const email = page.getByTestId('current-user');
  await email.waitFor();
  expect(await email.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  // One rect per line of the button's text.
  const signOutLines = await page.getByTestId('signout').evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return range.getClientRects().length;
  });
  expect(signOutLines).toBe(1);
  await page.context().close();
}, 60_000);

describe('sign-in refusals', () => {
  const password = 'password123';

  /** Submits the sign-in form; answers the response's status and Retry-After. */
  const submitSignin = async (page: Page, email: string, withPassword: string) => {
    await page.getByTestId('signin-email').fill(email);
    await page.getByTestId('signin-password').fill(withPassword);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/users/signin')),
      page.getByTestId('signin-submit').click(),
    ]);
    return { status: res.status(), retryAfter: Number(res.headers()['retry-after']) };
  };

  /** The seconds the refusal shows ("Try again in m:ss."). */
  const shownSeconds = async (page: Page) => {
    const text = (await page.getByTestId('retry-countdown').filter({ hasText: 'Try again in' }).textContent()) ?? '';
    const [, minutes, seconds] = /Try again in (\d+):(\d\d)\./.exec(text) ?? [];
    if (minutes === undefined) throw new Error(`no countdown in "${text}"`);
    return Number(minutes) * 60 + Number(seconds);
  };

  const failFromThisAddress = (email: string) =>
    fetch(`${sut.system.url}/api/users/signin`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: 'wrong-password' }),
    });

  it("counts an account's lock-out down from its Retry-After, then lets its owner in", async () => {
    const owner = uniqueEmail('locked');
    await ApiClient.signUp(sut.system.url, owner);
    const page = await pageAs();
    await page.goto('/auth/signin');
    for (let i = 0; i < 5; i++) expect((await failFromThisAddress(owner)).status).toBe(400);

    // The lock lasts 2 s from the last failure; on a slow machine one more failure may slip in first, doubling it.
    let refused = await submitSignin(page, owner, 'wrong-again');
    for (let tries = 0; refused.status !== 429 && tries < 3; tries++) refused = await submitSignin(page, owner, 'wrong-again');
    expect(refused.status).toBe(429);
    // Read at most a second after it appeared.
    expect(await shownSeconds(page)).toBeLessThanOrEqual(refused.retryAfter);
    expect(await shownSeconds(page)).toBeGreaterThanOrEqual(refused.retryAfter - 1);
    await page
      .getByTestId('retry-countdown')
      .filter({ hasText: 'You can try again now.' })
      .waitFor({ timeout: (refused.retryAfter + 3) * 1000 });
    expect((await submitSignin(page, owner, password)).status).toBe(200);
    await page.context().close();
  }, 60_000);

  it("signs in the right password after another account's failures from the same address, counting the refusal down", async () => {
    const neighbour = uniqueEmail('neighbour');
    await ApiClient.signUp(sut.system.url, neighbour);
    // The browser and this process are both 127.0.0.1 to the gateway: one address, as behind a NAT.
    let status = 0;
    for (let i = 0; i < 20 && status !== 429; i++) status = (await failFromThisAddress(uniqueEmail('stranger'))).status;
    expect(status).toBe(429);

    const page = await pageAs();
    await page.goto('/auth/signin');
    const refused = await submitSignin(page, neighbour, 'wrong-password');
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBeGreaterThan(60);
    const shown = await shownSeconds(page);
    expect(shown).toBeLessThanOrEqual(refused.retryAfter);
    expect(shown).toBeGreaterThanOrEqual(refused.retryAfter - 1);
    // Live: it counts down while the page is open.
    await page.waitForTimeout(2_500);
    expect(await shownSeconds(page)).toBeLessThanOrEqual(shown - 2);

    expect((await submitSignin(page, neighbour, password)).status).toBe(200);
    await page.getByTestId('current-user').filter({ hasText: neighbour }).waitFor();
    await page.context().close();
  }, 60_000);
});

it('offers a sign-in link when the email of a sign-up is in use', async () => {
  const taken = uniqueEmail('taken');
  await ApiClient.signUp(sut.system.url, taken);
  const page = await pageAs();
  await page.goto('/auth/signup');
  await page.getByTestId('signup-email').fill(taken);
  await page.getByTestId('signup-password').fill('password123');
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('email-in-use-signin').getByRole('link').click();
  await page.waitForURL(/\/auth\/signin$/);
  await page.context().close();
}, 60_000);

/** A seller's listing of `quantity` units, one of them ordered by a buyer (the order still open). */
const orderedListing = async (label: string, quantity = 1) => {
  const seller = await sut.signUp(`${label}-seller`);
  const buyer = await sut.signUp(`${label}-buyer`);
  const listing = await sut.list(seller, { title: `${label} listing`, price: 15, quantity });
  const res = await buyer.post<Order>('/api/orders', { ticketId: listing.id });
  expect(res.status).toBe(201);
  return { seller, buyer, listing, order: res.body };
};

it('asks before cancelling an order, and keeps it when told to', async () => {
  const { buyer, order } = await orderedListing('cancel');
  const page = await pageAs(buyer);
  await page.goto(`/orders/${order.id}`);

  await page.getByTestId('cancel-order').click();
  await page.getByTestId('cancel-order-keep').click();
  expect((await buyer.get<Order>(`/api/orders/${order.id}`)).body.status).toBe('created');

  await page.getByTestId('cancel-order').click();
  await page.getByTestId('cancel-order-confirm').click();
  await page.getByTestId('order-status').and(page.locator('[data-status="cancelled"]')).waitFor();
  expect((await buyer.get<Order>(`/api/orders/${order.id}`)).body.status).toBe('cancelled');
  // The button that had focus is gone: the outcome has it.
  await focusOn(page, 'order-cancelled');
  await page.context().close();
}, 60_000);

it('locks the price and quantity of a listing with units held, and saves its other fields', async () => {
  const { seller, listing } = await orderedListing('held', 3);
  await eventually(
    async () => ((await seller.get<Ticket>(`/api/tickets/${listing.id}`)).body.available === 2 ? true : undefined),
    20_000,
    'tickets to hear of the order',
  );

  const page = await pageAs(seller);
  await page.goto(`/tickets/${listing.id}/edit`);
  expect(await page.getByTestId('ticket-price').isDisabled()).toBe(true);
  expect(await page.getByTestId('ticket-quantity').isDisabled()).toBe(true);
  expect(await page.locator('#price-hint').textContent()).toMatch(/locked/i);
  await page.getByTestId('ticket-title').fill('Held Listing, renamed');
  await page.getByTestId('ticket-submit').click();
  await page.getByTestId('ticket-detail-title').filter({ hasText: 'Held Listing, renamed' }).waitFor();
  const saved = (await seller.get<Ticket>(`/api/tickets/${listing.id}`)).body;
  expect([saved.title, saved.price, saved.quantity]).toEqual(['Held Listing, renamed', 15, 3]);
  await page.context().close();
}, 60_000);

it('moves focus to the outcome once an order is paid from its page', async () => {
  const { buyer, order } = await orderedListing('pay');
  const page = await pageAs(buyer);
  await page.goto(`/orders/${order.id}`);
  await page.getByTestId('test-token').selectOption('tok_visa');
  const success = page.getByTestId('payment-success');
  // Payments may not know the order yet; the form then shows the API's error and the buyer tries again.
  for (let attempt = 0; !(await success.isVisible()) && attempt < 20; attempt++) {
    await page.getByTestId('pay-button').click();
    await success.waitFor({ timeout: 1_000 }).catch(() => undefined);
  }
  await success.waitFor();
  await focusOn(page, 'payment-success');
  await page.context().close();
}, 60_000);
