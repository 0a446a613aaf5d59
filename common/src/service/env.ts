/** Reads required environment variables, naming every missing one at once. */
export const requireEnv = <K extends string>(...names: K[]): Record<K, string> => {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) throw new Error(`Missing required environment variable(s): ${missing.join(', ')}`);
  return Object.fromEntries(names.map((name) => [name, process.env[name] as string])) as Record<K, string>;
};

/** Redis as REDIS_HOST and REDIS_PORT name it (bull's queues); the port defaults to Redis's own. */
export const redisFromEnv = (env: NodeJS.ProcessEnv = process.env) => ({
  host: env.REDIS_HOST,
  port: Number(env.REDIS_PORT ?? 6379),
});

/** A positive whole number from the environment, undefined when unset or empty; anything else stops the start. */
export const optionalPositiveIntegerFromEnv = (name: string, env: NodeJS.ProcessEnv = process.env): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
};

/** A positive whole number from the environment, `fallback` when unset or empty; anything else stops the start. */
export const positiveIntegerFromEnv = (name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number =>
  optionalPositiveIntegerFromEnv(name, env) ?? fallback;

/**
 * Express's `trust proxy` from TRUST_PROXY: how many proxies in front of the service append to X-Forwarded-For
 * (1, the default: ingress-nginx or the local gateway), or the addresses and subnets of the trusted ones
 * (`loopback, 10.0.0.0/8`). `true` is refused: trusting every hop lets a client pick its own address.
 */
export const trustProxyFromEnv = (env: NodeJS.ProcessEnv = process.env): number | string => {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '') return 1;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (/^(true|false)$/i.test(raw)) {
    throw new Error(`TRUST_PROXY must be a hop count or the proxies' addresses, not "${raw}"`);
  }
  return raw;
};
