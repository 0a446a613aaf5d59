import { positiveIntegerFromEnv, trustProxyFromEnv } from '@ticketing/common';

/** The live service's limits, from the environment (see docs/configuration.md's table). */
export interface LiveConfig {
  /** Sockets one signed-in user may hold open at once (tabs, devices); one more is refused. */
  maxSocketsPerUser: number;
  /** Sockets this process holds at most, signed in or not. */
  maxSockets: number;
  /** Anonymous sockets one client address may hold open on this process; one more is refused. */
  maxAnonymousSocketsPerAddress: number;
  /** The proxies whose X-Forwarded-For names the client address (TRUST_PROXY, as Express reads it). */
  trustProxy: number | string;
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
  maxAnonymousSocketsPerAddress: 50,
  trustProxy: 1,
  maxBufferedBytes: 64 * 1024,
  maxPayloadBytes: 1024,
  pingIntervalMs: 30_000,
  orderRouteMs: 60 * 60_000,
};

export const liveConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): LiveConfig => ({
  maxSocketsPerUser: positiveIntegerFromEnv('LIVE_MAX_SOCKETS_PER_USER', defaults.maxSocketsPerUser, env),
  maxSockets: positiveIntegerFromEnv('LIVE_MAX_SOCKETS', defaults.maxSockets, env),
  maxAnonymousSocketsPerAddress: positiveIntegerFromEnv(
    'LIVE_MAX_ANONYMOUS_SOCKETS_PER_ADDRESS',
    defaults.maxAnonymousSocketsPerAddress,
    env,
  ),
  trustProxy: trustProxyFromEnv(env),
  maxBufferedBytes: positiveIntegerFromEnv('LIVE_MAX_BUFFERED_BYTES', defaults.maxBufferedBytes, env),
  maxPayloadBytes: defaults.maxPayloadBytes,
  pingIntervalMs: positiveIntegerFromEnv('LIVE_PING_INTERVAL_MS', defaults.pingIntervalMs, env),
  orderRouteMs: positiveIntegerFromEnv('LIVE_ORDER_ROUTE_MINUTES', defaults.orderRouteMs / 60_000, env) * 60_000,
});
