import type { AnyEvent, EventData } from '../events/events';
import type { EventBus, MessageInfo, Subscription } from './event-bus';

/**
 * One subject, in the durable queue group `listen` is given (runService gives the
 * service's). `onMessage` resolves once its effect is stored; the message is acked
 * only then. A throw leaves it for redelivery.
 */
export abstract class Listener<E extends AnyEvent> {
  abstract readonly subject: E['subject'];
  protected ackWaitMs = 5_000;

  constructor(protected readonly bus: EventBus) {}

  abstract onMessage(data: EventData<E['subject']>, info: MessageInfo): Promise<void>;

  listen(queueGroup: string): Subscription {
    return this.bus.subscribe(this.subject, { queueGroup, ackWaitMs: this.ackWaitMs }, (data, info) => this.onMessage(data, info));
  }
}
