'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, QueueStatus, QueueStatusMessage } from '@ticketing/common/api';
import { request } from './use-request';

/**
 * A buyer's place in a listing's waiting room, kept current: pushed over the queue service's WebSocket
 * (GET /api/queue/:ticketId/ws), and read with GET /api/queue/:ticketId/me every 2 s whenever that socket is
 * not open (refused, dropped, or before it first opens), so the page moves on even without it.
 */
export type QueueConnection = 'connecting' | 'open' | 'down';

export const QUEUE_POLL_INTERVAL_MS = 2_000;
const FIRST_RETRY_MS = 1_000;
// Shorter than the live socket's: the push is what admits the buyer on time, and polling covers the gap.
const MAX_RETRY_MS = 10_000;

/** The queue hears of a listing by event, a moment after it is listed: its 404 means "not yet", said plainly. */
export const WAITING_ROOM_NOT_OPEN = 'The waiting room for these tickets is not open yet. Please try again in a moment.';

const queuePath = (ticketId: string) => `/api/queue/${encodeURIComponent(ticketId)}`;

const socketUrl = (ticketId: string) =>
  `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${queuePath(ticketId)}/ws`;

const parse = (data: unknown): QueueStatusMessage | undefined => {
  if (typeof data !== 'string') return undefined;
  try {
    const message = JSON.parse(data) as Partial<QueueStatusMessage>;
    return message.type === 'queue:status' && message.data ? (message as QueueStatusMessage) : undefined;
  } catch {
    return undefined;
  }
};

/** Opens the socket, reconnecting with jittered backoff, and reports its state and each status it pushes. */
function useQueueSocket(ticketId: string, onStatus: (status: QueueStatus) => void): QueueConnection {
  const [connection, setConnection] = useState<QueueConnection>('connecting');
  const onStatusRef = useRef(onStatus);
  useEffect(() => {
    onStatusRef.current = onStatus;
  });

  useEffect(() => {
    // Without WebSocket the state stays 'connecting', and polling does the work.
    if (typeof WebSocket === 'undefined') return;
    let socket: WebSocket | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let retryMs = FIRST_RETRY_MS;
    let stopped = false;

    const connect = () => {
      const current = new WebSocket(socketUrl(ticketId));
      socket = current;
      current.onopen = () => {
        retryMs = FIRST_RETRY_MS;
        setConnection('open');
      };
      current.onmessage = (event: MessageEvent) => {
        const message = parse(event.data);
        if (message && message.data.ticketId === ticketId) onStatusRef.current(message.data);
      };
      current.onclose = () => {
        if (stopped || socket !== current) return;
        setConnection('down');
        const delay = retryMs * (0.5 + Math.random() / 2);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        retryTimer = setTimeout(connect, delay);
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      socket?.close();
    };
  }, [ticketId]);

  return connection;
}

/** Reads GET /me every 2 s while `active`; the API's errors are reported, and cleared by the next good answer. */
function useQueuePolling(
  ticketId: string,
  active: boolean,
  onStatus: (status: QueueStatus) => void,
  onErrors: (errors: ApiError[]) => void,
): void {
  const callbacks = useRef({ onStatus, onErrors });
  useEffect(() => {
    callbacks.current = { onStatus, onErrors };
  });

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const poll = async () => {
      const result = await request<QueueStatus>('GET', `${queuePath(ticketId)}/me`);
      if (stopped) return;
      if (!result.ok) return callbacks.current.onErrors(result.status === 404 ? [{ message: WAITING_ROOM_NOT_OPEN }] : result.errors);
      callbacks.current.onErrors([]);
      callbacks.current.onStatus(result.data);
    };
    const timer = setInterval(() => void poll(), QUEUE_POLL_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [ticketId, active]);
}

export interface QueueState {
  /** null until the first status arrives (the page could not read it). */
  status: QueueStatus | null;
  /** The highest position seen since the buyer joined: where the progress bar starts. */
  startPosition: number;
  /** Whether this page has seen the buyer admitted, so a lapsed turn can be told from never having joined. */
  wasAdmitted: boolean;
}

const next = (state: QueueState, status: QueueStatus): QueueState => ({
  status,
  startPosition: status.position > state.startPosition || state.status?.position === 0 ? status.position : state.startPosition,
  wasAdmitted: state.wasAdmitted || status.admitted,
});

/** The waiting-room page's state: the latest status, from whichever of the socket and the polling answered last. */
export function useQueueStatus(ticketId: string, initial: QueueStatus | null) {
  const [state, setState] = useState<QueueState>(() => ({
    status: initial,
    startPosition: initial?.position ?? 0,
    wasAdmitted: initial?.admitted ?? false,
  }));
  const [errors, setErrors] = useState<ApiError[]>([]);
  const update = useCallback((status: QueueStatus) => setState((state) => next(state, status)), []);
  const connection = useQueueSocket(ticketId, update);
  useQueuePolling(ticketId, connection !== 'open', update, setErrors);
  return { ...state, connection, errors, update };
}
