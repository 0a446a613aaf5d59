import type { EventBus, MessageHandler, MessageInfo, SubscribeOptions, Subscription } from '../bus/event-bus';
import type { EventData } from '../events/events';
import type { Subjects } from '../events/subjects';

export interface RecordedEvent {
  subject: Subjects;
  data: unknown;
}

/** An in-memory EventBus for a service's own tests: records what is published. */
export class RecordingBus implements EventBus {
  readonly published: RecordedEvent[] = [];
  private failures = 0;

  async publish<S extends Subjects>(subject: S, data: EventData<S>): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('publish failed (simulated)');
    }
    // Round-trip through JSON as the real bus does.
    this.published.push({ subject, data: JSON.parse(JSON.stringify(data)) });
  }

  /** The next `count` publishes fail, as when NATS is unreachable. */
  failNext(count = 1): void {
    this.failures = count;
  }

  eventsOf<S extends Subjects>(subject: S): EventData<S>[] {
    return this.published.filter((event) => event.subject === subject).map((event) => event.data as EventData<S>);
  }

  clear(): void {
    this.published.length = 0;
    this.failures = 0;
  }

  subscribe<S extends Subjects>(_subject: S, _options: SubscribeOptions, _handler: MessageHandler<S>): Subscription {
    return { close: async () => {} };
  }

  async close(): Promise<void> {}
}

export const messageInfo = (overrides: Partial<MessageInfo> = {}): MessageInfo => ({
  sequence: 1,
  redelivered: false,
  ...overrides,
});
