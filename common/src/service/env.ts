/** Reads required environment variables, naming every missing one at once. */
export const requireEnv = <K extends string>(...names: K[]): Record<K, string> => {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) throw new Error(`Missing required environment variable(s): ${missing.join(', ')}`);
  return Object.fromEntries(names.map((name) => [name, process.env[name] as string])) as Record<K, string>;
};

/** Redis as REDIS_HOST and REDIS_PORT name it (bull's queues); the port defaults to Redis's own. */
export const redisFromEnv = () => ({
  host: process.env.REDIS_HOST,
  port: Number(process.env.REDIS_PORT ?? 6379),
});

/** A positive whole number from the environment, `fallback` when unset or empty; anything else stops the start. */
export const positiveIntegerFromEnv = (name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
};
