import type { Redis } from 'ioredis';
import { ADMIT, JOIN, LINE_HEAD, ORDER_ENDED, ORDER_PLACED, SET_LISTING, STATUS } from './scripts';

const SCRIPTS = {
  queueSetListing: SET_LISTING,
  queueJoin: JOIN,
  queueStatus: STATUS,
  queueLineHead: LINE_HEAD,
  queueAdmit: ADMIT,
  queueOrderPlaced: ORDER_PLACED,
  queueOrderEnded: ORDER_ENDED,
};

export type ScriptName = keyof typeof SCRIPTS;

/** A script defined without a fixed key count: the call says how many of its arguments are keys. */
type ScriptCommand = (numberOfKeys: number, ...keysAndArgs: (string | number)[]) => Promise<unknown>;

export type ScriptCommands = Record<ScriptName, ScriptCommand>;

/**
 * Registers each waiting-room script as a command of `redis` (ioredis's defineCommand): it runs by its SHA1
 * (EVALSHA), sending its text (EVAL) only when Redis does not have it cached, as after a restart.
 */
export const defineScriptCommands = (redis: Redis): ScriptCommands => {
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { lua });
  // defineCommand adds the methods at run time; ioredis's types cannot name them.
  return redis as unknown as ScriptCommands;
};
