import crypto from 'crypto';
import type { Redis } from 'ioredis';

/**
 * KEYS[1] the user's sockets: a sorted set of socket ids scored by the end of their lease (ms, Redis's clock).
 * ARGV[1] lease ms, ARGV[2] the most a user may hold, ARGV[3] the new socket's id. 1: leased; 0: one too many.
 */
const CLAIM = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

/** KEYS[1] as above; ARGV[1] lease ms, ARGV[2..] the ids this process still holds open: their leases start again. */
const RENEW = `
local time = redis.call('TIME')
local until_ = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', until_, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0
`;

/** The two scripts as commands of the connection (ioredis's defineCommand): run by their SHA1, not their text. */
interface LeaseCommands {
  queueClaimSocket(key: string, leaseMs: number, maxSockets: number, id: string): Promise<number>;
  queueRenewSockets(key: string, leaseMs: number, ...ids: string[]): Promise<number>;
}

export interface UserSocketsSettings {
  /** Prefix of the Redis keys. */
  keyPrefix: string;
  /** Sockets one user may hold open across every waiting room and every queue process. */
  maxSocketsPerUser: number;
  /** How long a socket counts without being renewed: a process that died stops counting after it. */
  leaseMs: number;
}

/**
 * Counts each user's waiting-room sockets in Redis, so that the cap holds across listings and queue processes.
 * Each socket holds a lease its process renews (every third of `leaseMs`) and gives back when it closes; the
 * leases of a process that died lapse on their own.
 */
export class UserSockets {
  /** The leases this process holds, by user. */
  private readonly held = new Map<string, Set<string>>();
  private renewTimer?: NodeJS.Timeout;
  private readonly leases: LeaseCommands;

  constructor(
    private readonly redis: Redis,
    private readonly settings: UserSocketsSettings,
  ) {
    // Sent by text (EVAL) each time, a renewal round at 10,000 waiting sent 10,000 copies of RENEW every 10 s.
    redis.defineCommand('queueClaimSocket', { numberOfKeys: 1, lua: CLAIM });
    redis.defineCommand('queueRenewSockets', { numberOfKeys: 1, lua: RENEW });
    // defineCommand adds the methods at run time; ioredis's types cannot name them.
    this.leases = redis as unknown as LeaseCommands;
  }

  /**
   * A lease for one more socket of the user, or undefined when the user holds as many as they may. It is renewed
   * only once `keep` says its socket is open: an upgrade that never completes leaves it to lapse.
   */
  async claim(userId: string): Promise<string | undefined> {
    const id = crypto.randomUUID();
    const leased = await this.leases.queueClaimSocket(this.keyOf(userId), this.settings.leaseMs, this.settings.maxSocketsPerUser, id);
    return leased === 1 ? id : undefined;
  }

  /** Renews the lease while its socket is open, until `release`. */
  keep(userId: string, id: string): void {
    const own = this.held.get(userId) ?? new Set<string>();
    own.add(id);
    this.held.set(userId, own);
  }

  /** Gives the lease back; Redis being away only leaves it to lapse. */
  release(userId: string, id: string): void {
    const own = this.held.get(userId);
    own?.delete(id);
    if (own?.size === 0) this.held.delete(userId);
    this.redis.zrem(this.keyOf(userId), id).catch(() => undefined);
  }

  start(): void {
    this.renewTimer = setInterval(() => void this.renewAll(), this.settings.leaseMs / 3);
    this.renewTimer.unref();
  }

  stop(): void {
    clearInterval(this.renewTimer);
  }

  private async renewAll(): Promise<void> {
    const renewals = [...this.held].map(([userId, ids]) =>
      this.leases.queueRenewSockets(this.keyOf(userId), this.settings.leaseMs, ...ids),
    );
    // Redis being away: the next round tries again, and a lease that lapsed meanwhile only lets one more socket in.
    await Promise.allSettled(renewals);
  }

  private keyOf(userId: string): string {
    return `${this.settings.keyPrefix}sockets:${userId}`;
  }
}
