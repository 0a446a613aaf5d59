import crypto from 'crypto';
import { Model, Schema } from 'mongoose';
import type { EventBus } from '../bus/event-bus';
import type { EventData } from '../events/events';
import type { Subjects } from '../events/subjects';

/** An event stored in the same document write as the change it describes. */
export interface OutboxEntry {
  id: string;
  subject: Subjects;
  data: unknown;
}

export const outboxSchema = new Schema<OutboxEntry>(
  { id: { type: String, required: true }, subject: { type: String, required: true }, data: Schema.Types.Mixed },
  { _id: false },
);

/** The schema field a model with an outbox declares. */
export const outboxField = { type: [outboxSchema], default: [] };

export const outboxEntry = <S extends Subjects>(subject: S, data: EventData<S>): OutboxEntry => ({
  id: crypto.randomUUID(),
  subject,
  data,
});

export interface HasOutbox {
  outbox: OutboxEntry[];
}

export interface OutboxRelayOptions {
  intervalMs?: number;
  batchSize?: number;
  log?: (message: string) => void;
}

/**
 * Publishes what documents of one model hold in their outbox, oldest first, and
 * removes each entry once the bus has stored it. Runs on start-up, on a timer and
 * whenever a write asks; a crash between write and publish only delays the event.
 */
export class OutboxRelay<T extends HasOutbox = HasOutbox> {
  private timer?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();
  private queued?: Promise<void>;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly model: Model<T>,
    private readonly bus: () => EventBus,
    { intervalMs = 1_000, batchSize = 100, log = (message) => console.error(message) }: OutboxRelayOptions = {},
  ) {
    this.intervalMs = intervalMs;
    this.batchSize = batchSize;
    this.log = log;
  }

  start(): Promise<void> {
    this.timer ??= setInterval(() => this.kick(), this.intervalMs);
    return this.flush();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  /** Relay soon, without waiting (after a write). */
  kick(): void {
    void this.flush();
  }

  /** Resolves after a full pass that started after this call; passes never overlap. */
  flush(): Promise<void> {
    if (this.queued) return this.queued;
    const pass = this.chain.then(() => {
      this.queued = undefined;
      return this.pass();
    });
    this.queued = pass;
    this.chain = pass;
    return pass;
  }

  private async pass(): Promise<void> {
    try {
      for (;;) {
        const docs = await this.model
          .find({ 'outbox.0': { $exists: true } })
          .select('outbox')
          .sort({ _id: 1 })
          .limit(this.batchSize)
          .lean<{ _id: unknown; outbox: OutboxEntry[] }[]>();
        for (const doc of docs) await this.relayDocument(doc);
        if (docs.length < this.batchSize) return;
      }
    } catch (err) {
      this.log(`[outbox] ${this.model.modelName}: relay failed, will retry: ${(err as Error).message}`);
    }
  }

  private async relayDocument(doc: { _id: unknown; outbox: OutboxEntry[] }): Promise<void> {
    const bus = this.bus();
    for (const entry of doc.outbox) {
      await bus.publish(entry.subject, entry.data as EventData<typeof entry.subject>);
      // Pop the head only if it is still the entry just published: another relay may have done it.
      await this.model.updateOne({ _id: doc._id, 'outbox.0.id': entry.id }, { $pop: { outbox: -1 } });
    }
  }
}
