import type { OrderStatus } from '@ticketing/common/api';

const currency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const formatPrice = (price: number): string => currency.format(price);

export const STATUS_LABELS: Record<OrderStatus, string> = {
  created: 'Reserved',
  complete: 'Paid',
  cancelled: 'Cancelled',
};

/** Milliseconds as m:ss, never negative. */
export function formatCountdown(ms: number): string {
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** Only same-site paths may be used as a post-sign-in destination. */
export const safeReturnPath = (value: string | undefined): string =>
  value && /^\/(?![/\\])/.test(value) ? value : '/';
