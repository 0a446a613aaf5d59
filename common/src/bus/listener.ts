import type { AnyEvent, EventData } from '../events/events';
import { parkDeadLetter } from './dead-letters';
import type { EventBus, MessageInfo, SubscribeOptions, Subscription } from './event-bus';

export interface ListenOptions {
  /** Failed deliveries after which a message is parked on the dead-letter subject and acked. */
  maxDeliveries?: number;
  /** Each process receives every message (see SubscribeOptions.broadcast), instead of sharing them in the queue group. */
  broadcast?: SubscribeOptions['broadcast'];
}

/**
 * One subject, in the durable queue group `listen` is given (runService gives the
 * service's). `onMessage` resolves once its effect is stored; the message is acked
 * only then. A throw leaves it for redelivery, up to `maxDeliveries`: then it is
 * parked with its error, so that a poison message cannot stop the subscription.
 */
export abstract class Listener<E extends AnyEvent> {
  abstract readonly subject: E['subject'];
  protected ackWaitMs = 5_000;

  constructor(protected readonly bus: EventBus) {}

  abstract onMessage(data: EventData<E['subject']>, info: MessageInfo): Promise<void>;

  listen(queueGroup: string, { maxDeliveries = Infinity, broadcast }: ListenOptions = {}): Subscription {
    return this.bus.subscribe(this.subject, { queueGroup, ackWaitMs: this.ackWaitMs, broadcast }, async (data, info) => {
      try {
        await this.onMessage(data, info);
      } catch (err) {
        if (info.deliveries < maxDeliveries) throw err;
        await parkDeadLetter(this.bus, {
          subject: this.subject,
          queueGroup,
          sequence: info.sequence,
          deliveries: info.deliveries,
          error: (err as Error).message,
          parkedAt: new Date().toISOString(),
          data,
        });
      }
    });
  }
}
