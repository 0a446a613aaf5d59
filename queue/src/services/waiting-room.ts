import type { Redis } from 'ioredis';
import { defineScriptCommands, type ScriptCommands, type ScriptName } from './script-commands';
import { admissionsMade, type Occupancy } from './waiting-room-metrics';

/** What the waiting room stores about one user on one listing, before it becomes a QueueStatus. */
export type Standing =
  | { kind: 'unknown' }
  | { kind: 'admitted'; admissionId: string; expiresAt: number; ordered: boolean; rules: ListingRules }
  | { kind: 'waiting'; rank: number; sequence: number; rules: ListingRules }
  | { kind: 'outside'; rules: ListingRules };

/** A listing's waiting-room rules as ticket:created/updated carry them. */
export interface ListingSettings {
  activeBuyers: number;
  /** Epoch ms; 0: on sale now. */
  onSaleAt: number;
  /** No unit left to sell (the event's `available` is 0); absent: some are. */
  soldOut?: boolean;
}

/** What the waiting room measured of a listing's line: the admissions after its opening round, and the time since it. */
export interface AdmissionPace {
  admissions: number;
  elapsedMs: number;
}

export interface ListingRules extends Required<ListingSettings> {
  pace: AdmissionPace;
}

/** The head of a listing's line and its rules: enough to rank every waiter whose join sequence number is known. */
export interface LineHead {
  /** The join sequence number at the head of the line: a waiter's rank is their number minus this one. */
  headSequence: number;
  rules: ListingRules;
}

/** Users whose status changed on a listing, as the scripts publish it; `everyone` when the whole listing's did. */
export interface Change {
  ticketId: string;
  userIds: string[];
  everyone: boolean;
}

export interface WaitingRoomSettings {
  keyPrefix: string;
  admissionMs: number;
  admissionGraceMs: number;
  orderGraceMs: number;
}

type Reply = (string | number)[];

/** The listing's rules as the scripts' RULES reads them, at the end of a reply. */
const rulesOf = ([activeBuyers, onSaleAt, soldOut, admissions, elapsedMs]: Reply): ListingRules => ({
  activeBuyers: Number(activeBuyers),
  onSaleAt: Number(onSaleAt),
  soldOut: Number(soldOut) === 1,
  pace: { admissions: Number(admissions), elapsedMs: Number(elapsedMs) },
});

/** The sequence number of an admission (`<ticketId>.<n>`: the listing's n-th admission) and its listing. */
export const parseAdmissionId = (admissionId: string): { ticketId: string; sequence: number } | undefined => {
  const dot = admissionId.lastIndexOf('.');
  const sequence = Number(admissionId.slice(dot + 1));
  if (dot <= 0 || !Number.isInteger(sequence)) return undefined;
  return { ticketId: admissionId.slice(0, dot), sequence };
};

/** The waiting rooms, in Redis: every change is one Lua script (see scripts.ts), so replicas share them safely. */
export class WaitingRoom {
  readonly channel: string;
  private readonly scripts: ScriptCommands;

  constructor(
    private readonly redis: Redis,
    private readonly settings: WaitingRoomSettings,
  ) {
    this.channel = `${settings.keyPrefix}changed`;
    this.scripts = defineScriptCommands(redis);
  }

  /** A listing's rules as ticket:created/updated carry them; an older version than the stored one is ignored. */
  async setListing(ticketId: string, version: number, rules: ListingSettings | null): Promise<void> {
    await this.run(
      'queueSetListing',
      [this.key('listing', ticketId), this.key('pending')],
      [version, rules?.activeBuyers ?? '', rules?.onSaleAt ?? 0, ticketId, rules?.soldOut ? 1 : 0, this.channel],
    );
  }

  /**
   * Puts the user at the end of the line, unless already in it or admitted; undefined for a listing without a
   * waiting room. `admitting`: the listing is on sale and not sold out, so a round may admit someone now.
   */
  async join(ticketId: string, userId: string): Promise<{ admitting: boolean } | undefined> {
    const keys = [
      this.key('listing', ticketId),
      this.key('line', ticketId),
      this.key('holders', ticketId),
      this.key('admissions', ticketId),
      this.key('pending'),
    ];
    const result = (await this.run('queueJoin', keys, [userId, ticketId, this.channel])) as number;
    return result < 0 ? undefined : { admitting: result === 1 };
  }

  async standing(ticketId: string, userId: string): Promise<Standing> {
    const keys = [
      this.key('listing', ticketId),
      this.key('line', ticketId),
      this.key('holders', ticketId),
      this.key('admissions', ticketId),
    ];
    const reply = (await this.run('queueStatus', keys, [userId])) as Reply;
    const [known, rank, admissionId, expiresAt, ordered, sequence] = reply;
    if (known !== 1) return { kind: 'unknown' };
    const rules = rulesOf(reply.slice(6));
    if (admissionId)
      return { kind: 'admitted', admissionId: String(admissionId), expiresAt: Number(expiresAt), ordered: ordered === 1, rules };
    if (Number(rank) < 0) return { kind: 'outside', rules };
    return { kind: 'waiting', rank: Number(rank), sequence: Number(sequence), rules };
  }

  /** The head of the listing's line and its rules, in one command whatever the line's length; undefined without a waiting room. */
  async lineHead(ticketId: string): Promise<LineHead | undefined> {
    const reply = (await this.run('queueLineHead', [this.key('listing', ticketId), this.key('line', ticketId)], [])) as Reply;
    const [known, headSequence] = reply;
    if (known !== 1) return undefined;
    return { headSequence: Number(headSequence), rules: rulesOf(reply.slice(2)) };
  }

  /** One admission round for the listing (lapsed slots freed, free slots given out in join order). */
  async admit(ticketId: string): Promise<number> {
    const keys = [
      this.key('listing', ticketId),
      this.key('line', ticketId),
      this.key('held', ticketId),
      this.key('admissions', ticketId),
      this.key('holders', ticketId),
      this.key('pending'),
      this.key('orders'),
    ];
    const { admissionMs, admissionGraceMs } = this.settings;
    const admitted = (await this.run('queueAdmit', keys, [ticketId, admissionMs, admissionGraceMs, this.channel])) as number;
    admissionsMade.inc(admitted);
    return admitted;
  }

  /** The listings with someone in line or holding a slot: the ones admission rounds are for. */
  pendingListings(): Promise<string[]> {
    return this.redis.smembers(this.key('pending'));
  }

  /** Each pending listing's line and admitted buyers holding a slot: two counts a listing, in one round trip. */
  async occupancy(): Promise<Occupancy[]> {
    const listings = await this.pendingListings();
    const pipeline = this.redis.pipeline();
    for (const ticketId of listings) pipeline.zcard(this.key('line', ticketId)).zcard(this.key('held', ticketId));
    const counts = ((await pipeline.exec()) ?? []).map(([, count]) => Number(count));
    return listings.map((ticketId, i) => ({ ticketId, waiting: counts[2 * i], admitted: counts[2 * i + 1] }));
  }

  /** The keys ORDER_PLACED and ORDER_ENDED read and write a listing's slots through, in their order. */
  private slotKeys(ticketId: string): string[] {
    return [
      this.key('listing', ticketId),
      this.key('held', ticketId),
      this.key('admissions', ticketId),
      this.key('holders', ticketId),
      this.key('orders'),
    ];
  }

  /** An order was placed with the admission: its slot is held until the order is paid or cancelled. */
  async orderPlaced(admissionId: string, orderId: string, orderExpiresAt: number): Promise<boolean> {
    const admission = parseAdmissionId(admissionId);
    if (!admission) return false;
    const { ticketId } = admission;
    const holdUntil = orderExpiresAt + this.settings.orderGraceMs;
    const args = [admissionId, orderId, holdUntil, this.channel, ticketId];
    return ((await this.run('queueOrderPlaced', this.slotKeys(ticketId), args)) as number) === 1;
  }

  /**
   * The order was paid or cancelled: the slot its admission held (if any) is free. Returns the listing, if a
   * slot was freed. `admissionId` is the one the end event carries; without it, the admission orderPlaced
   * recorded for the order. An order without an admission writes nothing.
   */
  async orderEnded(orderId: string, admissionId?: string): Promise<string | undefined> {
    const used = admissionId ?? (await this.redis.hget(this.key('orders'), orderId));
    const admission = used ? parseAdmissionId(used) : undefined;
    if (!used || !admission) return undefined;
    const { ticketId } = admission;
    const result = (await this.run('queueOrderEnded', this.slotKeys(ticketId), [used, orderId, this.channel, ticketId])) as number;
    return result === 1 ? ticketId : undefined;
  }

  /** Admissions holding a slot on the listing now (lapsed ones until the next round frees them). */
  heldCount(ticketId: string): Promise<number> {
    return this.redis.zcard(this.key('held', ticketId));
  }

  private run(script: ScriptName, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.scripts[script](keys.length, ...keys, ...args);
  }

  /** Reads a change published by the scripts; undefined for anything else. */
  static parseChange(message: string): Change | undefined {
    try {
      const body = JSON.parse(message) as { t?: unknown; u?: unknown; all?: unknown };
      if (typeof body.t !== 'string') return undefined;
      if (body.all === true) return { ticketId: body.t, userIds: [], everyone: true };
      if (!Array.isArray(body.u)) return undefined;
      return { ticketId: body.t, userIds: body.u.filter((user): user is string => typeof user === 'string'), everyone: false };
    } catch {
      return undefined;
    }
  }

  private key(...parts: string[]): string {
    return `${this.settings.keyPrefix}${parts.join(':')}`;
  }
}
