import crypto from 'crypto';
import os from 'os';
import nats, { Message, Stan, SubscriptionOptions } from 'node-nats-streaming';
import type { EventData } from '../events/events';
import type { Subjects } from '../events/subjects';
import { EventBus, isLoggedFailure, MessageHandler, PublishOptions, SubscribeOptions, Subscription } from './event-bus';
import { decodeWithTrace, encodeWithTrace, traceToSend } from './message-trace';
import { logger } from '../observability/logger';

export interface NatsStreamingOptions {
  clusterId: string;
  /** Prefix of the client id; a per-process suffix keeps a restarted pod from clashing with its old session. */
  clientName: string;
  url: string;
  /** How long a publish waits for the server's ack before it fails (the library's default is 30 s). */
  publishAckTimeoutMs?: number;
  log?: (message: string) => void;
}

/** Long enough for a busy server, short enough that a publish lost in a restart is retried within seconds. */
export const PUBLISH_ACK_TIMEOUT_MS = 2_000;
/** Unacked messages the server hands one subscriber at a time. */
const MAX_IN_FLIGHT = 16;

export const uniqueClientId = (clientName: string) =>
  `${clientName}-${os.hostname()}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`.replace(/[^\w-]/g, '_');

/** The library has the server's redelivery count, but its typings do not declare it. */
type CountedMessage = Message & { getRedeliveryCount?: () => number };

/** Deliveries so far, this one included; a server too old to count says only whether it redelivered. */
const deliveriesOf = (msg: CountedMessage) => 1 + (msg.getRedeliveryCount?.() || (msg.isRedelivered() ? 1 : 0));

type StanSubscription = ReturnType<Stan['subscribe']>;

/** A broadcast subscription (no queue group, no durable name) starts at the new messages, or `replayMs` back. */
const startAt = (options: SubscriptionOptions, replayMs?: number): SubscriptionOptions =>
  replayMs ? options.setStartAtTimeDelta(replayMs) : options.setStartAt(nats.StartPosition.NEW_ONLY);

/**
 * Closes (keeps a durable's position) or unsubscribes, and resolves on the server's answer, its refusal or the
 * request's timeout: a subscription the server no longer knows (after a restart) must not hang or crash the caller.
 */
const endSubscription = (subscription: StanSubscription, how: 'close' | 'unsubscribe', log: (message: string) => void) =>
  new Promise<void>((resolve) => {
    const done = (err?: Error) => {
      if (err) log(`[bus] ${how} of a subscription answered: ${err.message}`);
      resolve();
    };
    subscription.once(how === 'close' ? 'closed' : 'unsubscribed', () => done());
    subscription.once('error', done);
    subscription.once('timeout', done);
    subscription[how]();
  });

export class NatsStreamingBus implements EventBus {
  private constructor(
    private readonly stan: Stan,
    private readonly log: (message: string) => void,
  ) {}

  static connect({
    clusterId,
    clientName,
    url,
    publishAckTimeoutMs = PUBLISH_ACK_TIMEOUT_MS,
    log = (message) => logger.warn(message),
  }: NatsStreamingOptions): Promise<NatsStreamingBus> {
    const stan = nats.connect(clusterId, uniqueClientId(clientName), {
      url,
      ackTimeout: publishAckTimeoutMs,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      stanPingInterval: 2000,
      stanMaxPingOut: 5,
    });
    return new Promise((resolve, reject) => {
      stan.once('connect', () => {
        stan.removeListener('error', reject);
        resolve(new NatsStreamingBus(stan, log));
      });
      stan.once('error', reject);
    });
  }

  /** The streaming session is gone for good when the server forgot this client. */
  onConnectionLost(listener: (err: Error) => void): void {
    this.stan.on('connection_lost', listener);
  }

  /** The message has no headers: the trace context travels in the event's envelope (message-trace.ts). */
  publish<S extends Subjects>(subject: S, data: EventData<S>, { trace }: PublishOptions = {}): Promise<void> {
    const message = encodeWithTrace(data, traceToSend(trace));
    return new Promise((resolve, reject) => {
      this.stan.publish(subject, message, (err) => (err ? reject(err) : resolve()));
    });
  }

  subscribe<S extends Subjects>(subject: S, options: SubscribeOptions, handler: MessageHandler<S>): Subscription {
    const subscriptionOptions = this.stan
      .subscriptionOptions()
      .setManualAckMode(true)
      .setAckWait(options.ackWaitMs)
      .setMaxInFlight(MAX_IN_FLIGHT);
    const subscription = options.broadcast
      ? this.stan.subscribe(subject, startAt(subscriptionOptions, options.broadcast.replayMs))
      : this.stan.subscribe(subject, options.queueGroup, subscriptionOptions.setDeliverAllAvailable().setDurableName(options.queueGroup));
    subscription.on('message', (msg: Message) => void this.deliver(msg, handler));
    subscription.on('error', (err: Error) => this.log(`[bus] subscription to ${subject} failed: ${err.message}`));
    return {
      // Closing (not unsubscribing) keeps the durable queue group's position for the next start; a broadcast
      // subscription has no durable name, so the server forgets it either way.
      close: () => endSubscription(subscription, 'close', this.log),
    };
  }

  watch(subjects: Subjects[], onEvent: (subject: Subjects, data: unknown) => void): Subscription {
    const subscriptions = subjects.map((subject) => {
      const subscription = this.stan.subscribe(subject, this.stan.subscriptionOptions().setStartAt(nats.StartPosition.NEW_ONLY));
      subscription.on('message', (msg: Message) => onEvent(subject, decodeWithTrace(String(msg.getData())).data));
      subscription.on('error', (err: Error) => this.log(`[bus] watch of ${subject} failed: ${err.message}`));
      return subscription;
    });
    return {
      close: async () => {
        await Promise.all(subscriptions.map((subscription) => endSubscription(subscription, 'unsubscribe', this.log)));
      },
    };
  }

  private async deliver<S extends Subjects>(msg: Message, handler: MessageHandler<S>): Promise<void> {
    const subject = msg.getSubject();
    try {
      const { data, trace } = decodeWithTrace<EventData<S>>(String(msg.getData()));
      const redelivered = msg.isRedelivered();
      const publishedAt = msg.getTimestamp().getTime();
      await handler(data, { sequence: msg.getSequence(), redelivered, deliveries: deliveriesOf(msg), publishedAt, trace });
      msg.ack();
    } catch (err) {
      const deliveries = deliveriesOf(msg);
      if (isLoggedFailure(deliveries))
        this.log(
          `[bus] ${subject} #${msg.getSequence()} not acked (delivery ${deliveries}), will be redelivered: ${(err as Error).message}`,
        );
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.stan.once('close', () => resolve());
      this.stan.close();
    });
  }
}
