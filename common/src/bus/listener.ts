import { InvalidMessageError } from '../errors/invalid-message-error';
import type { AnyEvent, EventData } from '../events/events';
import { eventHandlingDuration, eventsHandled, eventsRedelivered } from '../observability/metrics';
import { parkDeadLetter } from './dead-letters';
import type { EventBus, MessageInfo, SubscribeOptions, Subscription } from './event-bus';
import { FailingMessages } from './failing-messages';
import { continueTrace } from '../observability/trace-context';
import { OutOfOrderEventError } from '../replica/versioned';

/** How often, and at most how long, a delivery waits in the process for the version before it to be applied. */
const IN_TURN_STEP_MS = 50;
const IN_TURN_WAIT_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The OpenTelemetry messaging attributes of a consumer span. */
const consumerAttributes = (subject: string, queueGroup: string, info: MessageInfo) => ({
  'messaging.system': 'nats',
  'messaging.operation.type': 'process',
  'messaging.destination.name': subject,
  'messaging.consumer.group.name': queueGroup,
  'messaging.message.id': String(info.sequence),
});

export interface ListenOptions {
  /** A message the handler finds invalid this many times (InvalidMessageError) is parked on the dead-letter subject and acked. */
  maxDeliveries?: number;
  /** Each process receives every message (see SubscribeOptions.broadcast), instead of sharing them in the queue group. */
  broadcast?: SubscribeOptions['broadcast'];
}

/**
 * One subject, in the durable queue group `listen` is given (runService gives the
 * service's). `onMessage` resolves once its effect is stored; the message is acked
 * only then. A throw leaves it for redelivery. Only the handler's verdict that the
 * message is invalid (InvalidMessageError), given `maxDeliveries` times in this
 * process, parks it with its error, so that a poison message cannot stop the
 * subscription; any other failure (a database, the broker, Redis) is retried for as
 * long as it lasts, and counted on /healthz meanwhile.
 */
export abstract class Listener<E extends AnyEvent> {
  abstract readonly subject: E['subject'];
  protected ackWaitMs = 5_000;

  constructor(protected readonly bus: EventBus) {}

  abstract onMessage(data: EventData<E['subject']>, info: MessageInfo): Promise<void>;

  listen(queueGroup: string, { maxDeliveries = Infinity, broadcast }: ListenOptions = {}): Subscription {
    const failing = new FailingMessages(this.subject);
    const labels = { subject: this.subject, queue_group: queueGroup };
    const subscription = this.bus.subscribe(this.subject, { queueGroup, ackWaitMs: this.ackWaitMs, broadcast }, (data, info) =>
      continueTrace(`${this.subject} process`, info.trace, consumerAttributes(this.subject, queueGroup, info), async () => {
        if (info.deliveries > 1) eventsRedelivered.inc(labels);
        const endTimer = eventHandlingDuration.startTimer(labels);
        let outcome: 'handled' | 'parked' | 'failed' = 'failed';
        try {
          outcome = await this.handle(data, info, { queueGroup, maxDeliveries, failing });
        } finally {
          endTimer();
          eventsHandled.inc({ ...labels, outcome });
        }
      }),
    );
    return {
      close: async () => {
        failing.close();
        await subscription.close();
      },
    };
  }

  /**
   * Hands an early version (OutOfOrderEventError) to the handler again every IN_TURN_STEP_MS, for up to a second
   * (a quarter of a shorter ack wait): its predecessor is usually in another process's hands at that moment. Given
   * back at once, it would wait the transport's redelivery delay, and a burst of edits to one record would queue
   * behind one another's growing backoff (minutes for ten edits on JetStream).
   */
  private async handleInTurn(data: EventData<E['subject']>, info: MessageInfo): Promise<void> {
    const deadline = Date.now() + Math.min(IN_TURN_WAIT_MS, this.ackWaitMs / 4);
    for (;;) {
      try {
        return await this.onMessage(data, info);
      } catch (err) {
        if (!(err instanceof OutOfOrderEventError) || Date.now() + IN_TURN_STEP_MS > deadline) throw err;
      }
      await sleep(IN_TURN_STEP_MS);
    }
  }

  /** Handles one delivery: 'handled', or 'parked' once the handler has found it invalid `maxDeliveries` times; any other failure throws. */
  private async handle(
    data: EventData<E['subject']>,
    info: MessageInfo,
    { queueGroup, maxDeliveries, failing }: { queueGroup: string; maxDeliveries: number; failing: FailingMessages },
  ): Promise<'handled' | 'parked'> {
    try {
      await this.handleInTurn(data, info);
      failing.settled(info.sequence);
      return 'handled';
    } catch (err) {
      const invalid = err instanceof InvalidMessageError;
      const { verdicts } = failing.failed(info.sequence, invalid);
      if (!invalid || verdicts < maxDeliveries) throw err;
      await parkDeadLetter(this.bus, {
        subject: this.subject,
        queueGroup,
        sequence: info.sequence,
        deliveries: info.deliveries,
        error: err.message,
        parkedAt: new Date().toISOString(),
        data,
      });
      failing.settled(info.sequence);
      return 'parked';
    }
  }
}
