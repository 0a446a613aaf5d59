import type { EventBus, MessageHandler, PublishOptions, SubscribeOptions, Subscription } from '../bus/event-bus';
import type { EventData } from '../events/events';
import type { Subjects } from '../events/subjects';

export interface RecordedEvent {
  subject: Subjects;
  data: unknown;
  /** The id the publisher named the message by (the outbox: its entry's id). */
  msgId?: string;
}

/** What the transport does with a delivered message: acks it, or leaves it for redelivery. */
export type Delivery = 'acked' | 'unacked';

/** A copy of `value` as it arrives over the wire: the real bus sends JSON. */
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * An in-memory EventBus for a service's own tests: it records what is published,
 * and `deliver` hands a message to the listener subscribed to its subject.
 */
export class RecordingBus implements EventBus {
  readonly published: RecordedEvent[] = [];
  private failing?: (subject: Subjects, data: unknown) => boolean;
  private sequence = 0;
  private readonly handlers = new Map<Subjects, MessageHandler<Subjects>>();
  private readonly options = new Map<Subjects, SubscribeOptions>();

  publish<S extends Subjects>(subject: S, data: EventData<S>, options: PublishOptions = {}): Promise<void> {
    if (this.failing?.(subject, data)) return Promise.reject(new Error('publish failed (simulated)'));
    this.published.push({ subject, data: overTheWire(data), ...(options.msgId ? { msgId: options.msgId } : {}) });
    return Promise.resolve();
  }

  /** Every publish (or every one `which` picks) fails from now on, as when the server is unreachable, until `recover()`. */
  fail(which: (subject: Subjects, data: unknown) => boolean = () => true): void {
    this.failing = which;
  }

  recover(): void {
    this.failing = undefined;
  }

  eventsOf<S extends Subjects>(subject: S): EventData<S>[] {
    return this.published.filter((event) => event.subject === subject).map((event) => event.data as EventData<S>);
  }

  /** Forgets what was published so far. */
  forgetPublished(): void {
    this.published.length = 0;
  }

  subscribe<S extends Subjects>(subject: S, options: SubscribeOptions, handler: MessageHandler<S>): Subscription {
    if (this.handlers.has(subject)) throw new Error(`a listener is already subscribed to ${subject}`);
    this.handlers.set(subject, handler as unknown as MessageHandler<Subjects>);
    this.options.set(subject, options);
    return {
      close: () => {
        this.handlers.delete(subject);
        this.options.delete(subject);
        return Promise.resolve();
      },
    };
  }

  /** How the listener of `subject` subscribed: its queue group, or broadcast (every replica gets every message). */
  subscriptionOf(subject: Subjects): SubscribeOptions | undefined {
    return this.options.get(subject);
  }

  /**
   * Hands `data` to the listener of `subject` as the transport would, and says whether it was acked.
   * `publishedAt` (default now) is when the server stored it: earlier for a replayed message. `sequence`
   * (default a new one) names the message: give the same one to redeliver it.
   */
  async deliver<S extends Subjects>(
    subject: S,
    data: EventData<S>,
    { deliveries = 1, publishedAt = Date.now(), sequence = ++this.sequence } = {},
  ): Promise<Delivery> {
    const handler = this.handlers.get(subject);
    if (!handler) throw new Error(`no listener is subscribed to ${subject}`);
    try {
      const info = { sequence, redelivered: deliveries > 1, deliveries, publishedAt };
      await handler(overTheWire(data), info);
      return 'acked';
    } catch {
      return 'unacked';
    }
  }

  watch(): Subscription {
    return { close: () => Promise.resolve() };
  }

  onConnectionLost(): void {}

  close(): Promise<void> {
    this.handlers.clear();
    this.options.clear();
    return Promise.resolve();
  }
}
