'use client';

import type { ReactNode } from 'react';
import { formatDateTime, formatTimeLeft } from '@/lib/format';
import { useNow } from './Countdown';

interface OnSaleGateProps {
  /** ISO timestamp the sale opens at; null: on sale now. */
  onSaleAt: string | null;
  /** What to offer once the sale is open: the order form, or the way into the waiting room. */
  children?: ReactNode;
  /** Offer `children` under the countdown too: a waiting room takes its line before the sale opens. */
  openEarly?: boolean;
}

/**
 * Counts down to a listing's on-sale time and swaps in `children` the second it passes, without a reload.
 * The server knows no reader's clock, so nothing is decided until the page is hydrated.
 */
export function OnSaleGate({ onSaleAt, children, openEarly = false }: OnSaleGateProps) {
  const now = useNow(onSaleAt !== null);
  if (onSaleAt === null) return children;
  const opensAt = Date.parse(onSaleAt);
  if (now !== null && now >= opensAt) return children;
  return (
    <>
      <div className="sale-countdown" data-testid="sale-countdown" aria-busy={now === null ? true : undefined}>
        <p className="sale-countdown-label">On sale in</p>
        <p className="sale-countdown-value" data-testid="sale-countdown-value">
          {now === null ? '–:––' : formatTimeLeft(opensAt - now)}
        </p>
        <p className="muted sale-countdown-when">Opens {formatDateTime(onSaleAt)}</p>
      </div>
      {openEarly && children}
    </>
  );
}
