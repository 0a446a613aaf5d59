'use client';

import { useCallback, useState } from 'react';
import type { Ticket } from '@ticketing/common/api';
import { useLive } from './use-live';
import { request } from './use-request';

type Stock = Pick<Ticket, 'version' | 'available'>;

const newer = (a: Stock, b: Stock) => (b.version > a.version ? b : a);

/**
 * The units a listing has left, kept current from the live socket's ticket:changed messages (the newest
 * version wins, so a late message never undoes a newer one) without re-rendering the server page; after a gap
 * in the socket, read again. Starts from what the page loaded.
 */
export function useLiveRemaining(ticket: Pick<Ticket, 'id'> & Stock): number {
  const [latest, setLatest] = useState<Stock>({ version: ticket.version, available: ticket.available });
  const { id } = ticket;
  const catchUp = useCallback(() => {
    void request<Ticket>('GET', `/api/tickets/${encodeURIComponent(id)}`).then((result) => {
      if (result.ok) setLatest((current) => newer(current, result.data));
    });
  }, [id]);
  useLive((message) => {
    if (message.type !== 'ticket:changed' || message.data.id !== id) return;
    const { version, remaining } = message.data;
    setLatest((current) => newer(current, { version, available: remaining }));
  }, catchUp);
  // A page the server rendered again carries its own reading: whichever is newer is shown.
  return newer(latest, ticket).available;
}
