import crypto from 'crypto';
import type { Redis } from 'ioredis';

const shas = new Map<string, string>();

const shaOf = (script: string): string => {
  let sha = shas.get(script);
  if (!sha) {
    sha = crypto.createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
};

/**
 * Runs a Lua script by its SHA1 (EVALSHA), sending its text (EVAL) only when Redis does not have it cached:
 * the first time, and after Redis restarted.
 */
export const runScript = async (redis: Redis, script: string, keys: string[], args: (string | number)[]): Promise<unknown> => {
  try {
    return await redis.evalsha(shaOf(script), keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
};
