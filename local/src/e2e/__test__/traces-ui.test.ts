import type { Browser } from 'playwright-core';
import { figure } from '../figures';
import { useSystem } from '../system-under-test';
import { earliestOf, launchChromium, openTrace, rowOf, storedPurchase, tracedPurchase } from '../traced-purchase';

// The system as `npm start -- --observe` runs it, and a person in Chromium reading one purchase's trace in the web
// UI of the trace store it started (Zipkin Lens, served by the same Zipkin that stores the spans).
let browser: Browser;

const sut = useSystem({
  startTimeoutMs: 240_000,
  system: { observe: true },
  connect: async ({ closeAtEnd }) => {
    browser = closeAtEnd(await launchChromium());
  },
});

it('shows a purchase’s trace in the trace store’s web UI, every service’s spans in it', async () => {
  const tracesUrl = sut.system.tracesUrl;
  if (!tracesUrl) throw new Error('the system started no trace store');
  const purchase = await tracedPurchase(sut.system.url);
  const spans = await storedPurchase(tracesUrl, purchase.traceId);

  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const startedAt = Date.now();
  const first = earliestOf(spans);
  const summary = await openTrace(page, tracesUrl, purchase.traceId, rowOf(first));
  figure(`trace UI: one purchase's ${summary.spans} spans drawn by Zipkin Lens ${Date.now() - startedAt} ms after the page was asked for`);

  expect(page.url()).toBe(new URL(`traces/${purchase.traceId}`, tracesUrl).toString());
  expect(await page.getByText(purchase.traceId).count()).toBeGreaterThan(0);
  const services = new Set(spans.map((span) => span.service));
  expect([...services].sort()).toEqual(expect.arrayContaining(['balances', 'live', 'orders', 'payments', 'tickets']));
  expect(summary.services).toBe(services.size);
  // Spans that end after the API was read (a late database call) may be drawn too, never fewer.
  expect(summary.spans).toBeGreaterThanOrEqual(spans.length);
});
