import type { Redis } from 'ioredis';
import type { AttemptOutcome, FailureRecord, FailureStore, LockedUntil } from './failure-store';

interface StoredRecord extends FailureRecord {
  expiresAt: number;
}

const MAX_TRIES = 20;

/**
 * The counts in Redis, shared by every auth replica. An attempt reads the record and writes it back
 * in one WATCH/MULTI transaction, which fails (and is tried again) if another replica wrote the key
 * in between: parallel attempts on all replicas meet one count. The lock-out's doubling is computed
 * here, by the caller's `lockedUntil`, so Redis needs no script. A record is forgotten `ttlMs` after
 * its latest failure, by its own `expiresAt` (the caller's clock) and by Redis's expiry.
 */
export class RedisFailureStore implements FailureStore {
  /** WATCH belongs to the connection: one attempt at a time on it, or one attempt's EXEC would end another's WATCH. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'auth:signin-failures:',
  ) {}

  attempt(key: string, at: number, ttlMs: number, lockedUntil: LockedUntil): Promise<AttemptOutcome> {
    const attempt = this.turn.then(() => this.attemptAlone(key, at, ttlMs, lockedUntil));
    this.turn = attempt.catch(() => {});
    return attempt;
  }

  private async attemptAlone(key: string, at: number, ttlMs: number, lockedUntil: LockedUntil): Promise<AttemptOutcome> {
    const redisKey = this.prefix + key;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      await this.redis.watch(redisKey);
      const current = this.live(await this.redis.get(redisKey), at);
      const until = current ? lockedUntil(current) : 0;
      if (until > at) {
        await this.redis.unwatch();
        return { lockedUntil: until };
      }
      const counted = { failures: (current?.failures ?? 0) + 1, lastFailureAt: at };
      const stored: StoredRecord = { ...counted, expiresAt: at + ttlMs };
      // null: another replica wrote the key after the WATCH; read it again.
      const written = await this.redis.multi().set(redisKey, JSON.stringify(stored), 'PX', ttlMs).exec();
      if (written) return { counted };
    }
    throw new Error(`sign-in failures of one account: ${MAX_TRIES} conflicting writes in a row`);
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  private live(stored: string | null, at: number): FailureRecord | undefined {
    if (!stored) return undefined;
    const record = JSON.parse(stored) as StoredRecord;
    if (record.expiresAt <= at) return undefined;
    return { failures: record.failures, lastFailureAt: record.lastFailureAt };
  }
}
