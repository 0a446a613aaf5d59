import { Locator, Page } from 'playwright-core';
import type { Order, Ticket } from '@ticketing/common/api';
import { ApiClient, eventually, waitUntil } from '../api-client';
import { shoot, useBrowser } from '../browser';

// Sellers and expired orders in a real (headless) Chromium, through the Next.js client and the gateway.
/** Short, so that an unpaid order expires within the test; long enough to pay through the API first. */
const EXPIRY_SECONDS = 20;
const PHONE = { width: 390, height: 844 };
const { sut, pageAs } = useBrowser({ expirationWindowSeconds: EXPIRY_SECONDS });

/** Places the order (201) and answers it. */
const order = async (buyer: ApiClient, ticket: Ticket, quantity = 1) => {
  const res = await buyer.post<Order>('/api/orders', { ticketId: ticket.id, quantity });
  expect(res.status).toBe(201);
  return res.body;
};

/** Reloads `page` at `url` until `locator` shows up there: what other services do reaches the page's data a moment later. */
const reloadUntil = async (page: Page, url: string, locator: Locator, timeoutMs = 15_000) =>
  waitUntil(
    async () => {
      await page.goto(url);
      return (await locator.count()) > 0;
    },
    timeoutMs,
    `${url} to show ${String(locator)}`,
  );

/** Whether the element's content fits its width, nothing scrolled or cut off sideways. */
const fitsItsWidth = (locator: Locator) =>
  locator.evaluate((element: { scrollWidth: number; clientWidth: number }) => element.scrollWidth <= element.clientWidth);

it('shows an unpaid order that expired as "Expired", on its page and in My orders, apart from one its buyer cancelled', async () => {
  const seller = await sut.signUp('expiry-seller');
  const [expiring, cancelled] = await sut.listAll(seller, [
    { title: 'Expiring Matinee', price: 18 },
    { title: 'Cancelled Matinee', price: 19 },
  ]);
  const buyer = await sut.signUp('expiry-buyer');
  const unpaid = await order(buyer, expiring);
  const withdrawn = await order(buyer, cancelled);
  expect((await buyer.delete(`/api/orders/${withdrawn.id}`)).status).toBe(204);
  const page = await pageAs(buyer, PHONE);

  await page.goto(`/orders/${unpaid.id}`);
  await page.getByTestId('countdown').waitFor();
  const status = page.getByTestId('order-status');
  await page.locator('[data-testid="order-status"][data-reason="expired"]').waitFor({ timeout: (EXPIRY_SECONDS + 20) * 1000 });
  expect(await status.textContent()).toBe('Expired');
  expect(await page.getByTestId('order-cancelled').textContent()).toContain('This order expired');
  await shoot(page, 'sellers-01-order-expired-phone');

  await page.goto('/orders');
  const statusOf = (title: string) =>
    page.getByTestId('order-row').filter({ hasText: title }).getByTestId('order-row-status').textContent();
  expect(await statusOf('Expiring Matinee')).toBe('Expired');
  expect(await statusOf('Cancelled Matinee')).toBe('Cancelled');
  await shoot(page, 'sellers-02-my-orders-expired-phone');
}, 120_000);

it("shows a seller's sold-out listing on My listings, 0 left and its units sold, and the sale on My sales by title, units and amount", async () => {
  const seller = await sut.signUp('listings-seller');
  const ticket = await sut.list(seller, { title: 'Sold Out Harbour Gig', price: 15.5, quantity: 2 });
  const buyer = await sut.signUp('listings-buyer');
  const paid = await order(buyer, ticket, 2);
  expect((await buyer.payWhenKnown(paid.id)).status).toBe(202);
  await eventually(async () => ((await buyer.get<Order>(`/api/orders/${paid.id}`)).body.status === 'complete' ? true : undefined));

  const page = await pageAs(seller, PHONE);
  await page.goto('/');
  await page.getByTestId('nav-listings').click();
  await page.waitForURL(/\/listings$/);
  const row = page.getByTestId('listing-row').filter({ hasText: 'Sold Out Harbour Gig' });
  await reloadUntil(page, '/listings', row.locator('[data-testid="listing-sold"][data-count="2"]'));
  expect(await row.getByTestId('listing-left').textContent()).toBe('0 left');
  expect(await row.getByTestId('listing-held').textContent()).toBe('0 held');
  expect(await row.getByTestId('listing-sold').textContent()).toBe('2 sold');
  await shoot(page, 'sellers-03-my-listings-phone');

  const entry = page.getByTestId('sales-entry').filter({ hasText: 'Sold Out Harbour Gig' });
  await reloadUntil(page, '/sales', entry);
  expect(await entry.getByTestId('sales-entry-title').textContent()).toBe('Sold Out Harbour Gig');
  expect(await entry.getByTestId('sales-entry-units').textContent()).toContain('2 tickets');
  expect(await entry.getByTestId('sales-entry-amount').textContent()).toBe('$31.00');
  expect(await entry.textContent()).not.toContain(paid.id);
  expect(await fitsItsWidth(entry)).toBe(true);
  await shoot(page, 'sellers-04-my-sales-phone');
}, 120_000);

it("shows the seller, on the listing's own page, when it goes on sale", async () => {
  const seller = await sut.signUp('on-sale-seller');
  const res = await seller.post<Ticket>('/api/tickets', { title: 'Spring Festival', price: 40, onSaleAt: '2030-06-01T10:00:00Z' });
  expect(res.status).toBe(201);
  const page = await pageAs(seller);

  await page.goto(`/tickets/${res.body.id}`);

  expect(await page.getByTestId('ticket-owner-on-sale-at').textContent()).toBe('Goes on sale Jun 1, 2030, 10:00 AM UTC.');
}, 60_000);
