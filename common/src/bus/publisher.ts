import type { AnyEvent, EventData } from '../events/events';
import type { EventBus } from './event-bus';

export abstract class Publisher<E extends AnyEvent> {
  abstract readonly subject: E['subject'];

  constructor(protected readonly bus: EventBus) {}

  /** Resolves once the server has stored the event. */
  publish(data: EventData<E['subject']>): Promise<void> {
    return this.bus.publish(this.subject, data);
  }
}
