import { Browser, chromium, Page } from 'playwright-core';
import type { Order } from '@ticketing/common/api';
import { ensureTool } from '../infra/tools';
import { ApiClient, eventually, uniqueEmail, waitUntil } from './api-client';
import { clientSpan, ServiceSpan, storedTrace } from './traces';

/**
 * One purchase as a browser that traces makes it: a seller lists a ticket, a buyer orders and pays, every request
 * with the same client span's traceparent, so the whole purchase is one trace. Resolves once the order is complete.
 */
export const tracedPurchase = async (url: string) => {
  const purchase = clientSpan();
  const signUp = async (name: string) => (await ApiClient.signUp(url, uniqueEmail(name))).withHeader('traceparent', purchase.traceparent);
  const seller = await signUp('seller');
  const buyer = await signUp('buyer');
  const listed = await seller.post<{ id: string }>('/api/tickets', { title: 'Traced gig', price: 25 });
  if (listed.status !== 201) throw new Error(`POST /api/tickets: ${listed.status}`);
  const order = await eventually(
    async () => {
      const res = await buyer.post<Order>('/api/orders', { ticketId: listed.body.id });
      return res.status === 201 ? res.body : undefined;
    },
    15_000,
    'the orders service to know the ticket',
  );
  const paid = await buyer.payWhenKnown(order.id);
  if (paid.status !== 202) throw new Error(`POST /api/payments: ${paid.status}`);
  const statusOf = async () => (await buyer.get<Order>(`/api/orders/${order.id}`)).body.status;
  await waitUntil(async () => (await statusOf()) === 'complete', 20_000, 'the paid order to complete');
  return purchase;
};

/** The consumers of a paid purchase's last event: once the store holds them, it holds the purchase's whole trace. */
const lastConsumers = ['orders', 'balances', 'live'].map((service) => ({ service, name: 'payment:created process' }));

/** The purchase's spans, once the store holds every service's part of it. */
export const storedPurchase = (tracesUrl: string, traceId: string): Promise<ServiceSpan[]> =>
  eventually(
    async () => {
      const spans = await storedTrace(tracesUrl, traceId);
      const complete = lastConsumers.every(({ service, name }) => spans.some((span) => span.service === service && span.name === name));
      return complete ? spans : undefined;
    },
    20_000,
    'the purchase’s spans in the trace store',
  );

/** Debian's Chromium, headless, as the browser suite drives it. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: ensureTool('chromium'),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });

/** What the trace page's summary line says: `Services 7`, `Total Spans 152`. */
export interface TraceSummary {
  services: number;
  spans: number;
}

const countAfter = (text: string, label: string) => Number(new RegExp(`${label}\\s+(\\d+)`).exec(text)?.[1]);

/**
 * Opens one trace in the trace store's web UI (Zipkin Lens), waits until it draws the trace (its summary line, then
 * its first span's row) and returns what the summary says.
 */
export const openTrace = async (page: Page, tracesUrl: string, traceId: string, firstRow: string): Promise<TraceSummary> => {
  await page.goto(new URL(`traces/${traceId}`, tracesUrl).toString());
  await page.getByText('Total Spans').waitFor();
  await page.getByText(firstRow, { exact: true }).first().waitFor();
  const text = await page.locator('body').innerText();
  return { services: countAfter(text, 'Services'), spans: countAfter(text, 'Total Spans') };
};

/** A span's row in the trace page, as Zipkin Lens labels it. */
export const rowOf = (span: ServiceSpan) => `${span.service}: ${span.name}`;

/** The trace's first span, the top row of its timeline. */
export const earliestOf = (spans: ServiceSpan[]): ServiceSpan =>
  spans.reduce((earliest, span) => ((span.timestamp ?? Infinity) < (earliest.timestamp ?? Infinity) ? span : earliest));
