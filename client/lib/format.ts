import type { Order } from '@ticketing/common/api';

const currency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const formatPrice = (price: number): string => currency.format(price);

/** A price in dollars (at most two decimals) as exact integer cents, so that totals never pick up float error. */
export const priceToCents = (price: number): number => Math.round(price * 100);

/** "12 of 300 left", or "Sold out" once none is left. */
export const formatAvailability = (available: number, quantity: number): string =>
  available > 0 ? `${available} of ${quantity} left` : 'Sold out';

/** Whole cents of `code` (ISO 4217, any case) as money; every currency the API uses has two minor digits. */
export const formatCents = (cents: number, code: string): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: code.toUpperCase() }).format(cents / 100);

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** An ISO timestamp for people; UTC, as pages render on the server, which does not know the reader's zone. */
export const formatDateTime = (iso: string): string => `${dateTime.format(new Date(iso))} UTC`;

/** An order's status for people: a cancelled one by why it was cancelled. */
export const orderStatusLabel = ({ status, cancelReason }: Pick<Order, 'status' | 'cancelReason'>): string => {
  if (status === 'created') return 'Reserved';
  if (status === 'complete') return 'Paid';
  if (cancelReason === 'expired') return 'Expired';
  return cancelReason === 'rejected' ? 'Rejected' : 'Cancelled';
};

/** "1 ticket", "3 tickets". */
export const formatUnits = (units: number): string => (units === 1 ? '1 ticket' : `${units} tickets`);

/** Milliseconds as m:ss, never negative. */
export function formatCountdown(ms: number): string {
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** Milliseconds as m:ss, h:mm:ss or "2d 3:04:05", whichever is shortest; never negative. */
export function formatTimeLeft(ms: number): string {
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor(totalSeconds / 3600) % 24;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const clock = `${String(minutes).padStart(hours > 0 || days > 0 ? 2 : 1, '0')}:${String(totalSeconds % 60).padStart(2, '0')}`;
  if (days > 0) return `${days}d ${String(hours).padStart(2, '0')}:${clock}`;
  return hours > 0 ? `${hours}:${clock}` : clock;
}

/** A waiting room's estimate for people: rounded up to 10 seconds, then to whole minutes, since it is only an estimate. */
export function formatEta(seconds: number): string {
  if (seconds <= 0) return 'any moment now';
  if (seconds < 60) return `about ${Math.ceil(seconds / 10) * 10} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'about 1 minute' : `about ${minutes} minutes`;
}

/** How fast a waiting room lets buyers in, as measured: "about 12 buyers a minute", "about 1 buyer every 4 minutes". */
export function formatAdmissionRate(perMinute: number): string {
  if (perMinute >= 1) {
    const rounded = Math.round(perMinute);
    return rounded === 1 ? 'about 1 buyer a minute' : `about ${rounded} buyers a minute`;
  }
  return `about 1 buyer every ${Math.round(1 / perMinute)} minutes`;
}

/**
 * Where to go after signing in: `next` as a path on this site, or `/`.
 * The browser's own URL parser decides, not a pattern: it drops tabs and newlines and reads `\` as `/`,
 * so `/\t/evil.com` or `/\evil.com` name another host even though they start with a single `/`.
 */
export function safeNext(next: string | undefined, origin: string): string {
  if (!next) return '/';
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(next, base);
  } catch {
    return '/';
  }
  // Opaque origins (javascript:, data:) all serialize as "null", so comparing origins alone is not enough.
  if (!WEB_PROTOCOLS.has(url.protocol) || url.origin !== base.origin) return '/';
  // Dot segments can leave a path such as `/.//evil.com` as `//evil.com`, which a browser reads as another host.
  if (url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

const WEB_PROTOCOLS = new Set(['http:', 'https:']);
