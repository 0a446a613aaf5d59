import { positiveIntegerFromEnv } from '@ticketing/common';

/** The live service's limits, from the environment (see docs/configuration.md's table). */
export interface LiveConfig {
  /** Sockets one signed-in user may hold open at once (tabs, devices); one more is refused. */
  maxSocketsPerUser: number;
  /** Sockets this process holds at most, signed in or not. */
  maxSockets: number;
  /** Bytes queued for one socket beyond which it is a slow consumer and is disconnected. */
  maxBufferedBytes: number;
  /** Largest message a client may send (clients send nothing the service reads). */
  maxPayloadBytes: number;
  /** Each socket is pinged this often; one that has not answered the previous ping is dropped. */
  pingIntervalMs: number;
  /** How long an order's owner is remembered for routing (and replayed on start). */
  orderRouteMs: number;
}

const defaults: LiveConfig = {
  maxSocketsPerUser: 5,
  maxSockets: 10_000,
  maxBufferedBytes: 64 * 1024,
  maxPayloadBytes: 1024,
  pingIntervalMs: 30_000,
  orderRouteMs: 60 * 60_000,
};

export const liveConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): LiveConfig => ({
  maxSocketsPerUser: positiveIntegerFromEnv('LIVE_MAX_SOCKETS_PER_USER', defaults.maxSocketsPerUser, env),
  maxSockets: positiveIntegerFromEnv('LIVE_MAX_SOCKETS', defaults.maxSockets, env),
  maxBufferedBytes: positiveIntegerFromEnv('LIVE_MAX_BUFFERED_BYTES', defaults.maxBufferedBytes, env),
  maxPayloadBytes: defaults.maxPayloadBytes,
  pingIntervalMs: positiveIntegerFromEnv('LIVE_PING_INTERVAL_MS', defaults.pingIntervalMs, env),
  orderRouteMs: positiveIntegerFromEnv('LIVE_ORDER_ROUTE_MINUTES', defaults.orderRouteMs / 60_000, env) * 60_000,
});
