'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { useLive } from '@/lib/use-live';

/** `${kind}:${orderId}`: what a sale:changed message and a ledger entry both name. */
export type SaleKey = `${'sale' | 'refund'}:${string}`;

const RETRY_MS = 500;
const MAX_REFRESHES = 10;

interface SalesRefreshProps {
  /** The entries the page shows. */
  shown: SaleKey[];
}

/**
 * Re-renders the sales page (router.refresh: no reload) on the seller's sale:changed. Live and balances hear
 * the same event independently, so the message can come before balances has written the entry: the page is
 * refreshed again, a few times, until it shows every entry it was told of.
 */
export function SalesRefresh({ shown }: SalesRefreshProps) {
  const router = useRouter();
  const awaited = useRef(new Set<SaleKey>());
  const refreshes = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const schedule = () => {
    if (timer.current !== undefined || refreshes.current >= MAX_REFRESHES) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      refreshes.current++;
      router.refresh();
    }, RETRY_MS);
  };

  useLive(
    (message) => {
      if (message.type !== 'sale:changed') return;
      awaited.current.add(`${message.data.kind}:${message.data.orderId}`);
      refreshes.current = 0;
      schedule();
    },
    () => {
      refreshes.current = 0;
      schedule();
    },
  );

  // Each re-render brings the entries the server now has: keep refreshing while one that was announced is missing.
  useEffect(() => {
    for (const key of shown) awaited.current.delete(key);
    if (awaited.current.size > 0) schedule();
  });

  useEffect(() => () => clearTimeout(timer.current), []);

  return null;
}
