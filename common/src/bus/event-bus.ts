import type { EventData } from '../events/events';
import type { Subjects } from '../events/subjects';
import type { TraceCarrier } from '../observability/trace-context';

export interface SubscribeOptions {
  /** Durable queue group: replicas of one service share the messages and resume where it left off. */
  queueGroup: string;
  /** How long the server waits for an ack before redelivering. */
  ackWaitMs: number;
  /**
   * Every process gets every message, not a share of the group's: for state each replica keeps in memory.
   * The subscription lives as long as the process and starts with the messages published after it
   * (or `replayMs` before it); `queueGroup` then only names it in logs and dead letters.
   */
  broadcast?: { replayMs?: number };
}

export interface PublishOptions {
  /**
   * Names the message: the transport stores a second message with the same id, published within its
   * dedupe window, only once (JetStream's Nats-Msg-Id). The outbox passes its entry's id, so a publish
   * retried after a lost ack is not delivered twice. NATS Streaming has no dedupe and ignores it.
   */
  msgId?: string;
  /**
   * The trace context the message carries (docs/design.md, Events): the outbox passes the one its entry stored
   * in the request; without it, the active span's, if any.
   */
  trace?: TraceCarrier;
}

export interface MessageInfo {
  sequence: number;
  redelivered: boolean;
  /** How many times this message has been handed out, this time included. */
  deliveries: number;
  /** When the server stored the message (ms since the epoch), for consumers that tell replayed messages from new ones. */
  publishedAt?: number;
  /** The trace context the publisher sent with the message, if any: the consumer's span continues it. */
  trace?: TraceCarrier;
}

/** Resolve to acknowledge; reject (or throw) to leave the message for redelivery. */
export type MessageHandler<S extends Subjects> = (data: EventData<S>, info: MessageInfo) => Promise<void>;

export interface Subscription {
  close(): Promise<void>;
}

/**
 * What services need from the message transport. Only this folder knows which
 * transport it is, so another one can be added without touching a service.
 */
export interface EventBus {
  /** Resolves once the server has stored the message. */
  publish<S extends Subjects>(subject: S, data: EventData<S>, options?: PublishOptions): Promise<void>;
  subscribe<S extends Subjects>(subject: S, options: SubscribeOptions, handler: MessageHandler<S>): Subscription;
  /** Every new message on the subjects, without a durable group or acks: for logs and debugging. */
  watch(subjects: Subjects[], onEvent: (subject: Subjects, data: unknown) => void): Subscription;
  /** Called when the connection is gone for good and the process cannot carry on without a restart. */
  onConnectionLost(listener: (err: Error) => void): void;
  close(): Promise<void>;
}

/** A message left for redelivery is logged on its first failed delivery and every 10th: an outage is a few lines, not one per message per ack wait. */
export const isLoggedFailure = (deliveries: number) => deliveries === 1 || deliveries % 10 === 0;

/** The durable queue group of a service's listeners: replicas of one service share it. */
export const queueGroupOf = (serviceName: string) => `${serviceName}-service`;
