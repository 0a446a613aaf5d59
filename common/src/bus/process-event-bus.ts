import type { EventData } from '../events/events';
import type { Subjects } from '../events/subjects';
import { connectEventBus } from './connect-event-bus';
import type { EventBus, MessageHandler, PublishOptions, SubscribeOptions, Subscription } from './event-bus';

/**
 * The process's one event bus. Services import it before it is connected; runService
 * connects it at start, and a service's tests install an in-memory bus with `use`.
 */
class ProcessEventBus implements EventBus {
  private current?: EventBus;

  async connect(clientName: string): Promise<void> {
    this.current = await connectEventBus(clientName);
  }

  use(bus: EventBus): void {
    this.current = bus;
  }

  publish<S extends Subjects>(subject: S, data: EventData<S>, options?: PublishOptions): Promise<void> {
    return this.connected().publish(subject, data, options);
  }

  subscribe<S extends Subjects>(subject: S, options: SubscribeOptions, handler: MessageHandler<S>): Subscription {
    return this.connected().subscribe(subject, options, handler);
  }

  watch(subjects: Subjects[], onEvent: (subject: Subjects, data: unknown) => void): Subscription {
    return this.connected().watch(subjects, onEvent);
  }

  onConnectionLost(listener: (err: Error) => void): void {
    this.connected().onConnectionLost(listener);
  }

  async close(): Promise<void> {
    const bus = this.current;
    this.current = undefined;
    await bus?.close();
  }

  private connected(): EventBus {
    if (!this.current) throw new Error('Cannot use the event bus before connecting');
    return this.current;
  }
}

export const eventBus = new ProcessEventBus();
