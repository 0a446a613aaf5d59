/** Failed sign-ins counted for one key (a normalized email). */
export interface FailureRecord {
  failures: number;
  /** When the latest one happened, in ms since the epoch. */
  lastFailureAt: number;
}

/** When a record's key may try again, in ms since the epoch; not after now when it may. */
export type LockedUntil = (record: FailureRecord) => number;

export type AttemptOutcome = { counted: FailureRecord } | { lockedUntil: number };

/**
 * Where the counts live. In memory, each replica counts on its own; a shared
 * store (Redis: WATCH/MULTI or a script) gives all replicas one count without
 * touching anything else.
 */
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

interface StoredRecord extends FailureRecord {
  expiresAt: number;
}

/** One process's counts, bounded in number so that a flood of distinct emails cannot exhaust memory. */
export class MemoryFailureStore implements FailureStore {
  // Kept in order of latest failure, so the records to drop first are at the front.
  private readonly records = new Map<string, StoredRecord>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxRecords = 100_000,
  ) {}

  attempt(key: string, at: number, ttlMs: number, lockedUntil: LockedUntil): Promise<AttemptOutcome> {
    return Promise.resolve(this.attemptNow(key, at, ttlMs, lockedUntil));
  }

  clear(key: string): Promise<void> {
    this.records.delete(key);
    return Promise.resolve();
  }

  // Synchronous, hence atomic: nothing else runs between the read and the write.
  private attemptNow(key: string, at: number, ttlMs: number, lockedUntil: LockedUntil): AttemptOutcome {
    const current = this.live(key);
    const until = current ? lockedUntil(current) : 0;
    if (until > at) return { lockedUntil: until };

    const counted = { failures: (current?.failures ?? 0) + 1, lastFailureAt: at };
    this.records.delete(key);
    this.records.set(key, { ...counted, expiresAt: at + ttlMs });
    this.evict();
    return { counted };
  }

  get size(): number {
    return this.records.size;
  }

  private live(key: string): FailureRecord | undefined {
    const record = this.records.get(key);
    if (record && record.expiresAt <= this.now()) this.records.delete(key);
    else if (record) return { failures: record.failures, lastFailureAt: record.lastFailureAt };
    return undefined;
  }

  /** Expired records, then, beyond the bound, the oldest live ones: a flood costs the flooded keys' counts, not the process. */
  private evict(): void {
    const now = this.now();
    for (const [key, record] of this.records) {
      if (this.records.size <= this.maxRecords && record.expiresAt > now) return;
      this.records.delete(key);
    }
  }
}
