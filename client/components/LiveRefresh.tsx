'use client';

import { useRouter } from 'next/navigation';
import { useRef } from 'react';
import type { LiveMessage } from '@ticketing/common/api';
import { useLive } from '@/lib/use-live';

/**
 * Changes within this window cost one re-render of the page, not one each: a busy market must not make every
 * open page re-render (and re-fetch its data) once per event.
 */
const COALESCE_MS = 500;

interface LiveRefreshProps {
  /** Tickets the page shows: a change to one of them re-renders the page with fresh data. */
  ticketIds?: string[];
  /** Also re-render when any ticket comes (back) on sale: the first page of the list would show it. */
  newListings?: boolean;
  /** Re-render on the signed-in seller's sales and refunds (the balance and its entries). */
  sales?: boolean;
}

const concerns = (message: LiveMessage, { ticketIds = [], newListings, sales }: LiveRefreshProps) =>
  (message.type === 'ticket:changed' && (ticketIds.includes(message.data.id) || (newListings === true && message.data.available))) ||
  (message.type === 'sale:changed' && sales === true);

/** Re-renders the server page (router.refresh: no reload, state kept) when something it shows changes. */
export function LiveRefresh(props: LiveRefreshProps) {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refresh = () => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      router.refresh();
    }, COALESCE_MS);
  };
  useLive((message) => {
    if (concerns(message, props)) refresh();
  }, refresh);
  return null;
}
