import path from 'path';
import { parseArgs } from 'util';
import type { Browser } from 'playwright-core';
import { earliestOf, launchChromium, openTrace, rowOf, storedPurchase, tracedPurchase } from '../e2e/traced-purchase';
import { repoRoot } from '../infra/tools';
import { startSystem, System } from '../system/system';
import { parseOptions } from './options';

const usage = `usage: npm run trace-screenshot -- [options]
  --out FILE      where the PNG goes (default docs/trace.png)
Starts the system as \`npm start -- --observe\` does (API only, fresh temporary data), makes one purchase as a
tracing browser would, opens its trace in Zipkin's web UI in Chromium, saves a screenshot and stops everything.`;

const parse = (args: string[]) =>
  parseArgs({
    args,
    options: {
      out: { type: 'string', default: path.join(repoRoot, 'docs/trace.png') },
      help: { type: 'boolean', default: false },
    },
  }).values;

const TIMELINE_TOP = 320;
const ROW_HEIGHT = 28;
const MAX_HEIGHT = 3200;

/** `npm run trace-screenshot`: one purchase's trace in Zipkin's web UI, as docs/trace.png (the README's picture). */
export const traceScreenshot = async (args: string[]): Promise<number> => {
  const options = parseOptions(usage, () => parse(args));
  if (typeof options === 'number') return options;
  let system: System | undefined;
  let browser: Browser | undefined;
  try {
    system = await startSystem({ observe: true, progress: (line) => console.log(`[ready] ${line}`) });
    const tracesUrl = system.tracesUrl;
    if (!tracesUrl) throw new Error('the system started no trace store');
    const purchase = await tracedPurchase(system.url);
    const spans = await storedPurchase(tracesUrl, purchase.traceId);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const summary = await openTrace(page, tracesUrl, purchase.traceId, rowOf(earliestOf(spans)));
    // Tall enough for every row of the timeline (about 27 px each), the payment's part included.
    await page.setViewportSize({ width: 1440, height: Math.min(MAX_HEIGHT, TIMELINE_TOP + ROW_HEIGHT * summary.spans) });
    await page.getByText('payments: post /api/payments', { exact: true }).first().waitFor();
    // The timeline alone, the whole width: the span detail drawer would show this machine's host and process tags.
    await page.locator('button[value="openSpanDetailDrawer"]').click();
    await page.screenshot({ path: options.out });
    console.log(`[trace] ${summary.spans} spans from ${summary.services} services in trace ${purchase.traceId}: ${options.out}`);
  } finally {
    await browser?.close();
    await system?.stop();
  }
  return 0;
};
