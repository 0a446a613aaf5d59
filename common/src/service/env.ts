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
