import crypto from 'crypto';
import { Connection, Model, Schema } from 'mongoose';
import type { EventBus } from '../bus/event-bus';
import type { EventData } from '../events/events';
import { scrapedGauge } from '../observability/metrics';
import { modelOn, PeriodicTask } from '../service/periodic-task';
import type { Subjects } from '../events/subjects';
import { currentTrace, TraceCarrier } from '../observability/trace-context';
import { logger } from '../observability/logger';

/** An event stored in the same document write as the change it describes. */
export interface OutboxEntry {
  id: string;
  subject: Subjects;
  data: unknown;
  /** The trace context of the request (or job) that wrote it: the relay publishes the event with it. */
  trace?: TraceCarrier;
}

export const outboxSchema = new Schema<OutboxEntry>(
  {
    id: { type: String, required: true },
    subject: { type: String, required: true },
    data: Schema.Types.Mixed,
    trace: Schema.Types.Mixed,
  },
  { _id: false },
);

/** The schema field a model with an outbox declares. */
export const outboxField = { type: [outboxSchema], default: [] };

export const outboxEntry = <S extends Subjects>(subject: S, data: EventData<S>): OutboxEntry => {
  const trace = currentTrace();
  return { id: crypto.randomUUID(), subject, data, ...(trace ? { trace } : {}) };
};

export interface HasOutbox {
  outbox: OutboxEntry[];
}

export interface OutboxRelayOptions {
  /** How often the whole collection is searched for events no wake-up named (after a crash); also done at start. */
  sweepIntervalMs?: number;
  /** Documents relayed at the same time; each document's own events always go one after another. */
  concurrency?: number;
  /** Wait before retrying a document whose publish failed; doubles on each failure up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  log?: (message: string) => void;
}

type DocumentId = { toString(): string };

/** How many relayed entries a relay remembers (see `relayed`): far more than can be in flight at once. */
const RELAYED_REMEMBERED = 10_000;

/** A document as a write just returned it: its outbox need not be read again. */
export interface WrittenDocument {
  _id: DocumentId;
  outbox: OutboxEntry[];
}

const isWritten = (target: DocumentId | WrittenDocument): target is WrittenDocument =>
  typeof target === 'object' && target !== null && 'outbox' in target && Array.isArray(target.outbox);

/**
 * Publishes what documents of one model hold in their outbox and removes each entry
 * once the bus has stored it. A write wakes it with the documents it returned (or
 * their ids, which are then read by _id); the whole collection is swept only at
 * start and every `sweepIntervalMs`, for events a crash left behind. A document
 * whose publish fails is retried with backoff without holding up the others.
 */
export class OutboxRelay<T extends HasOutbox = HasOutbox> {
  /** Documents to relay, with their outbox when a write handed it over. */
  private readonly waiting = new Map<string, OutboxEntry[] | undefined>();
  private readonly running = new Map<string, Promise<void>>();
  /** Documents woken again while being relayed: their new events may have missed the read. */
  private readonly wokenWhileRunning = new Set<string>();
  /**
   * Entries this relay published and removed lately, oldest first: a write that lost a race may hand over
   * a copy of a document read before its entry was relayed, which must not publish that entry again.
   */
  private readonly relayed = new Set<string>();
  /** Failed attempts in a row per document, and the retries waiting for their backoff. */
  private readonly failures = new Map<string, number>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  /** When this relay first learned of each document it has yet to relay: the backlog's age. */
  private readonly pendingSince = new Map<string, number>();
  /** The model the sweep reads through: on a connection of its own, if start() was given one. */
  private sweepModel: Model<T>;
  private readonly sweeps: PeriodicTask;
  private stopped = false;
  private readonly concurrency: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly model: Model<T>,
    private readonly bus: EventBus,
    {
      sweepIntervalMs = 30_000,
      concurrency = 64,
      retryMs = 250,
      maxRetryMs = 5_000,
      log = (message) => logger.error(message),
    }: OutboxRelayOptions = {},
  ) {
    this.sweepModel = model;
    this.sweeps = new PeriodicTask({
      intervalMs: sweepIntervalMs,
      pass: () => this.retryPending(),
      failed: (err) => this.log(`[outbox] ${this.model.modelName}: sweep failed, will retry: ${err.message}`),
    });
    this.concurrency = concurrency;
    this.retryMs = retryMs;
    this.maxRetryMs = maxRetryMs;
    this.log = log;
  }

  /**
   * Relays what is already stored, then sweeps on a timer. A `sweepConnection` keeps the
   * sweep's scan off the connection the service writes through, so no write waits behind it.
   */
  start({ sweepConnection }: { sweepConnection?: Connection } = {}): Promise<void> {
    this.stopped = false;
    runningRelays.add(this);
    this.sweepModel = modelOn(sweepConnection, this.model);
    this.sweeps.start();
    return this.flush();
  }

  /** Stops sweeping and retrying, and waits for the documents being relayed. */
  async stop(): Promise<void> {
    this.stopped = true;
    runningRelays.delete(this);
    const sweepDone = this.sweeps.stop();
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    this.waiting.clear();
    this.pendingSince.clear();
    await sweepDone;
    await Promise.all(this.running.values());
  }

  /** Relays the events of these documents soon, without waiting: call it with what the write returned. */
  kick(...written: (WrittenDocument | DocumentId)[]): void {
    for (const target of written) {
      if (isWritten(target)) this.wake(String(target._id), [...target.outbox]);
      else this.wake(String(target));
    }
  }

  /** Sweeps the collection and resolves once every document found (or woken) has been tried. */
  async flush(): Promise<void> {
    await this.sweeps.run();
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  /** The sweep: every document with events left in its outbox is tried now. */
  private async retryPending(): Promise<void> {
    const docs = await this.sweepModel
      .find({ 'outbox.0': { $exists: true } })
      .select('_id')
      .lean<{ _id: DocumentId }[]>();
    docs.forEach((doc) => this.retryNow(String(doc._id)));
  }

  /** Documents with events not yet relayed, as far as this relay knows, and how long the oldest has waited. */
  backlog(): { model: string; documents: number; oldestSeconds: number } {
    // Entries are only added when absent and removed when relayed: the first one is the oldest.
    const oldest = this.pendingSince.values().next().value ?? Date.now();
    return { model: this.model.modelName, documents: this.pendingSince.size, oldestSeconds: (Date.now() - oldest) / 1000 };
  }

  private wake(id: string, outbox?: OutboxEntry[]): void {
    if (this.stopped || this.retries.has(id)) return;
    if (!this.pendingSince.has(id)) this.pendingSince.set(id, Date.now());
    if (this.running.has(id)) this.wokenWhileRunning.add(id);
    // Woken twice before it ran: the outbox handed over first may be out of date, so read it.
    else this.waiting.set(id, this.waiting.has(id) ? undefined : outbox);
    this.pump();
  }

  private pump(): void {
    for (const [id, outbox] of this.waiting) {
      if (this.running.size >= this.concurrency) return;
      this.waiting.delete(id);
      this.running.set(id, this.relay(id, outbox));
    }
  }

  private async relay(id: string, outbox?: OutboxEntry[]): Promise<void> {
    try {
      await this.relayDocument(id, outbox ?? (await this.readOutbox(id)));
      this.failures.delete(id);
      this.pendingSince.delete(id);
    } catch (err) {
      this.retryLater(id, err as Error);
    } finally {
      this.running.delete(id);
      if (this.wokenWhileRunning.delete(id)) this.wake(id);
      this.pump();
    }
  }

  private async readOutbox(id: string): Promise<OutboxEntry[]> {
    const doc = await this.model.findById(id).select('outbox').lean<{ outbox: OutboxEntry[] }>();
    return doc?.outbox ?? [];
  }

  private async relayDocument(id: string, outbox: OutboxEntry[]): Promise<void> {
    for (const entry of outbox) {
      if (this.relayed.has(entry.id)) continue;
      // The entry's id names the message: a publish retried after a lost ack is stored once (within the dedupe window).
      await this.bus.publish(entry.subject, entry.data as EventData<typeof entry.subject>, { msgId: entry.id, trace: entry.trace });
      // Pop the head only if it is still the entry just published: another relay may have done it.
      await this.model.updateOne({ _id: id, 'outbox.0.id': entry.id }, { $pop: { outbox: -1 } });
      this.remember(entry.id);
    }
  }

  private remember(entryId: string): void {
    this.relayed.add(entryId);
    if (this.relayed.size > RELAYED_REMEMBERED) this.relayed.delete(this.relayed.values().next().value!);
  }

  private retryLater(id: string, err: Error): void {
    if (this.stopped) return;
    const count = (this.failures.get(id) ?? 0) + 1;
    this.failures.set(id, count);
    const delayMs = Math.min(this.maxRetryMs, this.retryMs * 2 ** (count - 1));
    this.log(`[outbox] ${this.model.modelName} ${id}: relay failed (attempt ${count}), retrying in ${delayMs} ms: ${err.message}`);
    this.retries.set(id, setTimeout(() => this.retryNow(id), delayMs).unref());
  }

  /** A sweep, or the end of a backoff: try the document now. */
  private retryNow(id: string): void {
    clearTimeout(this.retries.get(id));
    this.retries.delete(id);
    this.wake(id);
  }
}

const runningRelays = new Set<Pick<OutboxRelay, 'backlog'>>();

scrapedGauge('outbox_pending_documents', 'Documents whose outbox holds events not yet published, per model', ['model'], (gauge) => {
  for (const relay of runningRelays) gauge.set({ model: relay.backlog().model }, relay.backlog().documents);
});
scrapedGauge('outbox_oldest_pending_seconds', 'How long the oldest unpublished document has waited, per model', ['model'], (gauge) => {
  for (const relay of runningRelays) gauge.set({ model: relay.backlog().model }, relay.backlog().oldestSeconds);
});
