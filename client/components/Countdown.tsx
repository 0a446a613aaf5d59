'use client';

import { useEffect, useState } from 'react';
import { formatCountdown } from '@/lib/format';

/** The current time, ticking every second; null until mounted, so server and browser render the same first frame. */
export function useNow(active: boolean): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** Time left to pay, switching to "Order expired" at zero. */
export function Countdown({ msLeft }: { msLeft: number | null }) {
  if (msLeft === null) {
    return (
      <p className="countdown" data-testid="countdown" aria-busy="true">
        Time left to pay: <span className="countdown-value">–:––</span>
      </p>
    );
  }
  if (msLeft <= 0) {
    return (
      <p className="countdown countdown-expired" data-testid="countdown" role="status">
        Order expired
      </p>
    );
  }
  return (
    <p className={`countdown${msLeft < 60_000 ? ' countdown-urgent' : ''}`} data-testid="countdown">
      Time left to pay: <span className="countdown-value">{formatCountdown(msLeft)}</span>
    </p>
  );
}
