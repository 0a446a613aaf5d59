import type { AnyEvent, EventData } from '../events/events';
import type { EventBus, MessageInfo, Subscription } from './event-bus';

/**
 * One subject, one durable queue group. `onMessage` resolves once its effect is
 * stored; the message is acked only then. A throw leaves it for redelivery.
 */
export abstract class Listener<E extends AnyEvent> {
  abstract readonly subject: E['subject'];
  abstract readonly queueGroupName: string;
  protected ackWaitMs = 5_000;

  constructor(protected readonly bus: EventBus) {}

  abstract onMessage(data: EventData<E['subject']>, info: MessageInfo): Promise<void>;

  listen(): Subscription {
    return this.bus.subscribe(
      this.subject,
      { queueGroup: this.queueGroupName, ackWaitMs: this.ackWaitMs },
      (data, info) => this.onMessage(data, info),
    );
  }
}
