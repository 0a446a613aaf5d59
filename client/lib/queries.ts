import 'server-only';
import { cache } from 'react';
import type { Order, Ticket } from '@ticketing/common/api';
import { serverFetch } from './api';

/** Per-request memoised reads, so a page and its metadata share one request. */
export const getTicket = cache((id: string) => serverFetch<Ticket>(`/api/tickets/${encodeURIComponent(id)}`));

export const getOrder = cache((id: string) => serverFetch<Order>(`/api/orders/${encodeURIComponent(id)}`));
