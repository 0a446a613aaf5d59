/** The live service's limits, from the environment (see the README's table). */
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

const positiveInteger = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
};

export const liveConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): LiveConfig => ({
  maxSocketsPerUser: positiveInteger(env, 'LIVE_MAX_SOCKETS_PER_USER', defaults.maxSocketsPerUser),
  maxSockets: positiveInteger(env, 'LIVE_MAX_SOCKETS', defaults.maxSockets),
  maxBufferedBytes: positiveInteger(env, 'LIVE_MAX_BUFFERED_BYTES', defaults.maxBufferedBytes),
  maxPayloadBytes: defaults.maxPayloadBytes,
  pingIntervalMs: positiveInteger(env, 'LIVE_PING_INTERVAL_MS', defaults.pingIntervalMs),
  orderRouteMs: positiveInteger(env, 'LIVE_ORDER_ROUTE_MINUTES', defaults.orderRouteMs / 60_000) * 60_000,
});
