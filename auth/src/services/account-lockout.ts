import { FailureRecord, FailureStore } from './failure-store';

export interface LockoutPolicy {
  /** Failures before the account is refused for a while. */
  threshold: number;
  /** A count is forgotten this long after its latest failure. */
  windowMs: number;
  /** The first refusal lasts this long; each further failure doubles it, up to `maxLockMs`. */
  baseLockMs: number;
  maxLockMs: number;
}

export const LOCKOUT_TIMING: Omit<LockoutPolicy, 'threshold'> = {
  windowMs: 15 * 60 * 1000,
  baseLockMs: 2_000,
  maxLockMs: 60_000,
};

export interface Refusal {
  retryAfterMs: number;
}

/**
 * Failed sign-ins per account: after `threshold` of them the account is refused
 * for a short, doubling while. Kept short on purpose: anyone can fail in a
 * victim's name, so a long lockout would be a way to lock real users out.
 */
export class AccountLockout {
  constructor(
    private readonly policy: LockoutPolicy,
    private readonly store: FailureStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Refuses while the account is locked. Otherwise counts the attempt as a
   * failure straight away, so that guesses sent in parallel meet the lock as
   * well; `succeeded` takes it back. A refused attempt is not counted, so it
   * does not lengthen the lock.
   */
  async attempt(key: string): Promise<Refusal | undefined> {
    const at = this.now();
    const outcome = await this.store.attempt(key, at, this.policy.windowMs, this.lockedUntil);
    return 'lockedUntil' in outcome ? { retryAfterMs: outcome.lockedUntil - at } : undefined;
  }

  async succeeded(key: string): Promise<void> {
    await this.store.clear(key);
  }

  private readonly lockedUntil = ({ failures, lastFailureAt }: FailureRecord): number => {
    const { threshold, baseLockMs, maxLockMs } = this.policy;
    if (failures < threshold) return 0;
    return lastFailureAt + Math.min(baseLockMs * 2 ** (failures - threshold), maxLockMs);
  };
}
