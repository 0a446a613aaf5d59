'use client';

import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { LiveMessage, TooManySocketsCloseCode } from '@ticketing/common/api';

/**
 * One WebSocket per tab to GET /api/live, shared by every component that listens. It reconnects with
 * backoff; after a gap, listeners are told to catch up (what was pushed meanwhile is lost). Without
 * WebSocket, or refused by the server, the status is 'off' and pages keep to what they load.
 */
export type LiveStatus = 'connecting' | 'open' | 'down' | 'off';

type Listener = (message: LiveMessage) => void;

const TOO_MANY_SOCKETS: TooManySocketsCloseCode = 4008;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

const liveUrl = () => `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/live`;

const parse = (data: unknown): LiveMessage | undefined => {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data) as LiveMessage;
  } catch {
    return undefined;
  }
};

class LiveConnection {
  private socket?: WebSocket;
  private status: LiveStatus = 'connecting';
  private retryMs = FIRST_RETRY_MS;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private identity?: string;
  private wasOpen = false;
  private readonly listeners = new Set<Listener>();
  private readonly catchUps = new Set<() => void>();
  private readonly statusWatchers = new Set<() => void>();

  /** (Re)connects as the signed-in user (null: anonymous): the server reads who it is from the cookie at the upgrade. */
  identify(userId: string | null): void {
    const identity = userId ?? '';
    if (this.identity === identity) return;
    this.identity = identity;
    this.reconnectNow();
  }

  listen(listener: Listener, catchUp: () => void): () => void {
    this.listeners.add(listener);
    this.catchUps.add(catchUp);
    return () => {
      this.listeners.delete(listener);
      this.catchUps.delete(catchUp);
    };
  }

  watchStatus = (watcher: () => void): (() => void) => {
    this.statusWatchers.add(watcher);
    return () => this.statusWatchers.delete(watcher);
  };

  currentStatus = (): LiveStatus => this.status;

  private reconnectNow(): void {
    clearTimeout(this.retryTimer);
    const old = this.socket;
    this.socket = undefined;
    old?.close();
    this.retryMs = FIRST_RETRY_MS;
    this.connect();
  }

  private connect(): void {
    if (typeof WebSocket === 'undefined') return this.setStatus('off');
    const socket = new WebSocket(liveUrl());
    this.socket = socket;
    socket.onopen = () => this.opened(socket);
    socket.onmessage = (event: MessageEvent) => this.received(event.data);
    socket.onclose = (event: CloseEvent) => this.closed(socket, event.code);
  }

  private opened(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.retryMs = FIRST_RETRY_MS;
    this.setStatus('open');
    if (this.wasOpen) this.catchUps.forEach((catchUp) => catchUp());
    this.wasOpen = true;
  }

  private received(data: unknown): void {
    const message = parse(data);
    if (message) this.listeners.forEach((listener) => listener(message));
  }

  private closed(socket: WebSocket, code: number): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    if (code === TOO_MANY_SOCKETS) return this.setStatus('off');
    this.setStatus('down');
    // Jitter, so that the sockets a restarted replica dropped do not all come back at once.
    const delay = this.retryMs * (0.5 + Math.random() / 2);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.statusWatchers.forEach((watcher) => watcher());
  }
}

let connection: LiveConnection | undefined;
const live = (): LiveConnection => (connection ??= new LiveConnection());

/** Opens (or re-identifies) the tab's connection; rendered once, by the header, which knows who is signed in. */
export function useLiveIdentity(userId: string | null): void {
  useEffect(() => live().identify(userId), [userId]);
}

/**
 * Calls `onMessage` with each live message, and `onCatchUp` when the socket is back after a gap (reload
 * what the page shows then). The latest callbacks are used without resubscribing.
 */
export function useLive(onMessage: Listener, onCatchUp: () => void = () => {}): void {
  const callbacks = useRef({ onMessage, onCatchUp });
  useEffect(() => {
    callbacks.current = { onMessage, onCatchUp };
  });
  useEffect(
    () =>
      live().listen(
        (message) => callbacks.current.onMessage(message),
        () => callbacks.current.onCatchUp(),
      ),
    [],
  );
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (watcher) => live().watchStatus(watcher),
    () => live().currentStatus(),
    () => 'connecting',
  );
}
