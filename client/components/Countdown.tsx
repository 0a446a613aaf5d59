'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { formatCountdown } from '@/lib/format';

const noSubscription = () => () => {};

/** False on the server and while the browser hydrates, true once the page is React's. */
export const useHydrated = () =>
  useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

/** The current time, ticking every second; null until hydrated, so server and browser render the same first frame. */
export function useNow(active: boolean): number | null {
  const hydrated = useHydrated();
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return hydrated ? now : null;
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
