/** Failed sign-ins counted for one key (a normalized email). */
export interface FailureRecord {
  failures: number;
  /** When the latest one happened, in ms since the epoch. */
  lastFailureAt: number;
}

/** When a record's key may try again, in ms since the epoch; not after now when it may. */
export type LockedUntil = (record: FailureRecord) => number;

export type AttemptOutcome = { counted: FailureRecord } | { lockedUntil: number };

/** Where the counts live: Redis (RedisFailureStore), so that all replicas share one count. */
export interface FailureStore {
  /**
   * One attempt on `key` at `at`, decided in one atomic step so that parallel
   * attempts cannot all slip past a lock: while `lockedUntil(record)` is later
   * than `at`, the record stays as it is; otherwise one more failure is
   * counted, and the record is forgotten `ttlMs` after it.
   */
  attempt(key: string, at: number, ttlMs: number, lockedUntil: LockedUntil): Promise<AttemptOutcome>;
  clear(key: string): Promise<void>;
}
