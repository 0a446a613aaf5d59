import {
  AckPolicy,
  ConsumerConfig as FullConsumerConfig,
  ConsumerMessages,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  JetStreamApiError,
  JetStreamClient,
  jetstreamManager,
  JetStreamManager,
  JsMsg,
  RetentionPolicy,
  StorageType,
  StreamConfig,
} from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { EventData } from '../events/events';
import { Subjects } from '../events/subjects';
import { EventBus, isLoggedFailure, MessageHandler, PublishOptions, SubscribeOptions, Subscription } from './event-bus';
import { inboxPrefixOf } from './nats-users';
import { traceFromHeaders, traceHeaders, traceToSend } from './message-trace';
import { uniqueClientId } from './nats-streaming-bus';
import { optionalPositiveIntegerFromEnv } from '../service/env';
import { logger } from '../observability/logger';
import { OutOfOrderEventError } from '../replica/versioned';

export interface JetStreamOptions {
  /** Names the connection in the server's monitoring; broadcast consumers are named after it too. */
  clientName: string;
  /** nats://[user:password@]host:port, or several such URLs separated by commas (the servers of one cluster). */
  url: string;
  /** How long a publish waits for the stream's ack before it fails. */
  publishAckTimeoutMs?: number;
  /** The stream's max_bytes (JETSTREAM_MAX_BYTES); STREAM_LIMITS.maxBytes unless set. */
  maxBytes?: number;
  /** The stream's num_replicas (JETSTREAM_REPLICAS): copies kept on as many servers of a cluster; 1 unless set. */
  replicas?: number;
  log?: (message: string) => void;
}

type NatsConnection = Awaited<ReturnType<typeof connect>>;

/** JetStream's durations are nanoseconds. */
const nanos = (ms: number) => ms * 1_000_000;

/** The one stream that stores every subject. */
export const STREAM_NAME = 'ticketing';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The stream's limits, set here so that every service that connects agrees on them:
 * - maxAge: messages older than this are dropped. A new durable (balances rebuilt under a new
 *   queue group) replays what is younger, and live's broadcast replays at most an hour.
 * - maxBytes: the oldest messages are dropped beyond it (discard old), as NATS Streaming's
 *   channel limits do; a burst never makes a publish fail. The server reserves it in its file store
 *   when the stream is made, so it must fit the server's max_file_store (900MB in
 *   infra/k8s-jetstream/nats.yaml) with room for the consumers' state; JETSTREAM_MAX_BYTES sets another.
 * - duplicateWindow: a message whose Nats-Msg-Id (the outbox entry's id) the stream stored less
 *   than this ago is acknowledged and dropped. It covers the outbox's retries (a 2 s ack time-out,
 *   then backoff up to 5 s) and a service restarted within minutes; a repeat beyond it is
 *   delivered again and the consumers' idempotence absorbs it (docs/design.md, Events).
 */
export const STREAM_LIMITS = {
  maxAgeMs: 30 * DAY,
  maxBytes: 512 * 1024 ** 2,
  duplicateWindowMs: 10 * MINUTE,
} as const;

/** Long enough for a busy server, short enough that a publish lost in a restart is retried within seconds. */
const PUBLISH_ACK_TIMEOUT_MS = 2_000;
/** Messages one process handles at a time on one subscription (NATS Streaming's MaxInFlight). */
const MAX_IN_FLIGHT = 16;
/** A broadcast consumer outlives its process by this much; the server then deletes it. */
const BROADCAST_INACTIVE_MS = 5 * MINUTE;
/** Redeliveries wait ackWait, then 2×, 4×, 8× it, at most this long. */
const MAX_REDELIVERY_DELAY_MS = MINUTE;
/**
 * How long one pull waits on the server; the server sends heartbeats at half of it, and the client pulls again
 * when two are missed. A consumer whose leader dies with a pull pending stays silent: this bounds how long a
 * subscription waits before asking again, the consumer's new leader after an election (nats.js's default, 30 s,
 * stalled it that long after a broker restart).
 */
const PULL_EXPIRES_MS = 5_000;
/** Wait before setting up a consumer again after it failed or vanished. */
const RESUBSCRIBE_DELAY_MS = 1_000;

/** JetStream's code for "a stream with this name already exists" (with another config). */
/** What this bus sets of a consumer: its name, and the rest server defaults. */
type ConsumerConfig = Partial<FullConsumerConfig> & { durable_name: string };

const STREAM_NAME_IN_USE = 10058;
/** ... and for "insufficient storage resources available": max_bytes is more than the server's store has left. */
const INSUFFICIENT_STORAGE = 10047;
/** ... and for "stream not found". */
const STREAM_NOT_FOUND = 10059;
/** ... and for "a consumer with this name already exists" (with another config). */
const CONSUMER_ALREADY_EXISTS = 10148;

const streamConfig = (maxBytes: number, replicas: number): Partial<StreamConfig> & { name: string } => ({
  name: STREAM_NAME,
  subjects: Object.values(Subjects),
  retention: RetentionPolicy.Limits,
  storage: StorageType.File,
  discard: DiscardPolicy.Old,
  max_age: nanos(STREAM_LIMITS.maxAgeMs),
  max_bytes: maxBytes,
  duplicate_window: nanos(STREAM_LIMITS.duplicateWindowMs),
  num_replicas: replicas,
});

const insufficientStorageMessage = (maxBytes: number) =>
  `the JetStream server cannot reserve ${maxBytes} bytes (JETSTREAM_MAX_BYTES) for stream ${STREAM_NAME}: ` +
  `set JETSTREAM_MAX_BYTES below the server's jetstream max_file_store (less what other streams reserve), or raise max_file_store`;

/** JETSTREAM_MAX_BYTES, a positive whole number of bytes, or undefined when unset. */
export const streamMaxBytesOf = (env: NodeJS.ProcessEnv = process.env): number | undefined =>
  optionalPositiveIntegerFromEnv('JETSTREAM_MAX_BYTES', env);

/** JETSTREAM_REPLICAS, a positive whole number, or undefined when unset. */
export const streamReplicasOf = (env: NodeJS.ProcessEnv = process.env): number | undefined =>
  optionalPositiveIntegerFromEnv('JETSTREAM_REPLICAS', env);

/** How long the n-th redelivery waits: the ack wait, doubling, capped. */
export const redeliveryDelayMs = (ackWaitMs: number, deliveries: number): number =>
  Math.min(Math.max(ackWaitMs, MAX_REDELIVERY_DELAY_MS), ackWaitMs * 2 ** Math.min(Math.max(deliveries - 1, 0), 3));

/** A consumer name may hold no `.`, `*`, `>`, whitespace or slash. */
const consumerName = (...parts: string[]) => parts.join('_').replace(/[^\w-]/g, '-');

const apiCode = (err: unknown) => (err instanceof JetStreamApiError ? err.code : undefined);

/** The servers a NATS_URL names: one URL, or several separated by commas. */
const urlsOf = (url: string) =>
  url
    .split(',')
    .map((one) => one.trim())
    .filter((one) => one !== '');

/**
 * The user and password a URL carries (the first server's: every server of a cluster has the same users); a user's
 * replies come to inboxes of its own (`_INBOX_<user>.`), so that the server lets each user subscribe to its own only
 * (common/src/bus/nats-users.ts).
 */
const credentialsOf = (url: string) => {
  const { username, password } = new URL(urlsOf(url)[0]);
  if (!username) return {};
  const user = decodeURIComponent(username);
  return { user, pass: decodeURIComponent(password), inboxPrefix: inboxPrefixOf(user) };
};

/** Each server without its credentials: the client takes the first `:digits` of a server for its port, a password's too. */
const addressesOf = (url: string) =>
  urlsOf(url).map((one) => {
    const parsed = new URL(one);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  });

/** The servers and credentials to hand nats.js's connect() for a NATS_URL (one URL or a comma-separated list). */
export const natsConnectionOptionsOf = (url: string) => ({ servers: addressesOf(url), ...credentialsOf(url) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** The state of one subscription: stopped by close(), or running on a batch of messages. */
interface Running {
  closed: boolean;
  messages?: ConsumerMessages;
  loop?: Promise<void>;
}

/**
 * The EventBus on NATS JetStream: one stream (`ticketing`) holds every subject; a
 * queue group is a durable pull consumer per subject, shared by the group's processes;
 * a broadcast subscription is a consumer of the process's own that the server drops
 * after the process is gone; `watch` is an ordered consumer.
 */
export class JetStreamBus implements EventBus {
  private closing = false;
  private readonly js: JetStreamClient;
  /** Called each time the connection comes back, for what the server may have lost meanwhile. */
  private readonly onReconnect = new Set<() => void>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly clientId: string,
    private readonly publishAckTimeoutMs: number,
    private readonly log: (message: string) => void,
  ) {
    this.js = jetstream(nc);
    void this.followReconnects();
  }

  private async followReconnects(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'reconnect') this.onReconnect.forEach((callback) => callback());
    }
  }

  static async connect({
    clientName,
    url,
    publishAckTimeoutMs = PUBLISH_ACK_TIMEOUT_MS,
    maxBytes = STREAM_LIMITS.maxBytes,
    replicas = 1,
    log = (message) => logger.warn(message),
  }: JetStreamOptions): Promise<JetStreamBus> {
    const clientId = uniqueClientId(clientName);
    const nc = await connect({
      // The client moves to another of the servers by itself when its own goes away.
      ...natsConnectionOptionsOf(url),
      name: clientId,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
      pingInterval: 2_000,
      maxPingOut: 5,
    });
    try {
      const jsm = await jetstreamManager(nc, { timeout: publishAckTimeoutMs * 5 });
      await JetStreamBus.ensureStream(jsm, maxBytes, replicas);
      return new JetStreamBus(nc, jsm, clientId, publishAckTimeoutMs, log);
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  /**
   * Creates the stream, or brings an existing one to this code's subjects, limits and replica count (its
   * consumers keep as many copies: they inherit it). A server whose store cannot hold max_bytes is told about
   * in words that name both settings.
   */
  private static async ensureStream(jsm: JetStreamManager, maxBytes: number, replicas: number): Promise<void> {
    const config = streamConfig(maxBytes, replicas);
    try {
      await jsm.streams.add(config);
      return;
    } catch (err) {
      const code = apiCode(err);
      // The server answers an add that would not fit beside the stream of that name with "insufficient storage" too.
      if (code !== STREAM_NAME_IN_USE && code !== INSUFFICIENT_STORAGE) throw err;
      const current = await jsm.streams.info(STREAM_NAME).catch((infoErr: unknown) => {
        if (apiCode(infoErr) === STREAM_NOT_FOUND) return undefined;
        throw infoErr;
      });
      if (!current) throw code === INSUFFICIENT_STORAGE ? new Error(insufficientStorageMessage(maxBytes)) : err;
      await jsm.streams.update(STREAM_NAME, config).catch((updateErr: unknown) => {
        throw apiCode(updateErr) === INSUFFICIENT_STORAGE ? new Error(insufficientStorageMessage(maxBytes)) : updateErr;
      });
    }
  }

  /** A plain NATS connection has no session the server can forget: it is lost only when it closes for good. */
  onConnectionLost(listener: (err: Error) => void): void {
    void this.nc.closed().then((err?: Error | void) => {
      if (!this.closing) listener(err ?? new Error('the NATS connection closed'));
    });
  }

  /** The trace context travels as the W3C headers `traceparent` and `tracestate`. */
  async publish<S extends Subjects>(subject: S, data: EventData<S>, { msgId, trace }: PublishOptions = {}): Promise<void> {
    const headers = traceHeaders(traceToSend(trace));
    await this.js.publish(subject, JSON.stringify(data), {
      timeout: this.publishAckTimeoutMs,
      ...(msgId ? { msgID: msgId } : {}),
      ...(headers ? { headers } : {}),
    });
  }

  subscribe<S extends Subjects>(subject: S, options: SubscribeOptions, handler: MessageHandler<S>): Subscription {
    const config = options.broadcast
      ? this.broadcastConsumer(subject, options.queueGroup, options.ackWaitMs, options.broadcast.replayMs)
      : this.durableConsumer(subject, options.queueGroup, options.ackWaitMs);
    const running: Running = { closed: false };
    running.loop = this.consume(running, config, (msg) => this.deliver(msg, options.ackWaitMs, handler));
    return {
      close: async () => {
        running.closed = true;
        await running.messages?.close();
        await running.loop;
        // A broadcast consumer is this process's alone: nobody resumes it.
        if (options.broadcast) await this.jsm.consumers.delete(STREAM_NAME, config.durable_name).catch(() => false);
      },
    };
  }

  /** Every process of the queue group pulls from it; it starts at the stream's first message and keeps its position. */
  private durableConsumer(subject: Subjects, queueGroup: string, ackWaitMs: number): ConsumerConfig {
    return {
      durable_name: consumerName(queueGroup, subject),
      filter_subject: subject,
      deliver_policy: DeliverPolicy.All,
      ...this.acks(ackWaitMs),
    };
  }

  /**
   * This process's own consumer, from now or `replayMs` back. It is durable, so that it survives a restart
   * of the server, and the server deletes it once nobody has pulled from it for BROADCAST_INACTIVE_MS.
   */
  private broadcastConsumer(subject: Subjects, queueGroup: string, ackWaitMs: number, replayMs?: number): ConsumerConfig {
    return {
      durable_name: consumerName(queueGroup, subject, this.clientId),
      filter_subject: subject,
      ...(replayMs
        ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(Date.now() - replayMs).toISOString() }
        : { deliver_policy: DeliverPolicy.New }),
      inactive_threshold: nanos(BROADCAST_INACTIVE_MS),
      ...this.acks(ackWaitMs),
    };
  }

  /**
   * Explicit acks, never given up on. A message never acked (a hung handler, a dead process) comes back every ack
   * wait; a failed one after the delay its nak names. No `backoff`: with one, the server counts a nak's delay
   * from the backoff step instead of the ack wait, so the delays chosen here would not be the ones kept.
   */
  private acks(ackWaitMs: number): Partial<FullConsumerConfig> {
    return { ack_policy: AckPolicy.Explicit, ack_wait: nanos(ackWaitMs), backoff: [], max_deliver: -1 };
  }

  /**
   * Creates the consumer (or updates what may change of it), then hands its messages to `deliver`,
   * MAX_IN_FLIGHT at a time, until the subscription is closed; a consumer that fails or is
   * deleted is set up again.
   */
  private async consume(running: Running, config: ConsumerConfig, deliver: (msg: JsMsg) => Promise<void>): Promise<void> {
    const name = config.durable_name;
    const inFlight = new Set<Promise<void>>();
    while (!running.closed && !this.closing) {
      try {
        await this.ensureConsumer(config);
        const consumer = await this.js.consumers.get(STREAM_NAME, name);
        running.messages = await consumer.consume({ max_messages: MAX_IN_FLIGHT, expires: PULL_EXPIRES_MS });
        if (running.closed) await running.messages.close();
        void this.restartWhenDeleted(running.messages, name);
        for await (const msg of running.messages) {
          const delivery = deliver(msg).finally(() => inFlight.delete(delivery));
          inFlight.add(delivery);
          if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        }
      } catch (err) {
        if (!running.closed && !this.closing) this.log(`[bus] consumer ${name} failed, setting it up again: ${(err as Error).message}`);
      }
      if (!running.closed && !this.closing) await sleep(RESUBSCRIBE_DELAY_MS);
    }
    await Promise.all(inFlight);
  }

  /** The pull loop keeps asking a consumer that no longer exists; stop it, so that consume() creates it again. */
  private async restartWhenDeleted(messages: ConsumerMessages, name: string): Promise<void> {
    for await (const status of messages.status()) {
      if (status.type !== 'consumer_deleted' && status.type !== 'consumer_not_found') continue;
      this.log(`[bus] consumer ${name} is gone (${status.type}), creating it again`);
      messages.stop();
      return;
    }
  }

  /**
   * An ordered consumer lives on one server: when that server dies, the client's own reset can fail while the
   * cluster elects leaders, and then waits on for ever. Stop it once two heartbeats are missed, so that watch()
   * makes another after the last message seen.
   */
  private async restartWhenSilent(messages: ConsumerMessages): Promise<void> {
    for await (const status of messages.status()) {
      if (status.type !== 'heartbeats_missed' || status.count < 2) continue;
      messages.stop();
      return;
    }
  }

  private async ensureConsumer(config: ConsumerConfig): Promise<void> {
    try {
      await this.jsm.consumers.add(STREAM_NAME, config);
    } catch (err) {
      if (apiCode(err) !== CONSUMER_ALREADY_EXISTS) throw err;
      const { ack_wait, backoff, max_deliver } = config;
      await this.jsm.consumers.update(STREAM_NAME, config.durable_name, { ack_wait, backoff, max_deliver });
    }
  }

  /**
   * An ordered consumer from the next message on, or after the last one seen. Its consumer is
   * ephemeral, so a restarted server has forgotten it: it is made again on each reconnection.
   */
  watch(subjects: Subjects[], onEvent: (subject: Subjects, data: unknown) => void): Subscription {
    const running: Running = { closed: false };
    let lastSequence = 0;
    const restart = () => running.messages?.stop();
    this.onReconnect.add(restart);
    running.loop = (async () => {
      while (!running.closed && !this.closing) {
        try {
          const start = lastSequence
            ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: lastSequence + 1 }
            : { deliver_policy: DeliverPolicy.New };
          const consumer = await this.js.consumers.get(STREAM_NAME, { filter_subjects: subjects, ...start });
          running.messages = await consumer.consume({ expires: PULL_EXPIRES_MS });
          if (running.closed) await running.messages.close();
          void this.restartWhenSilent(running.messages);
          for await (const msg of running.messages) {
            lastSequence = msg.seq;
            onEvent(msg.subject as Subjects, msg.json());
          }
        } catch (err) {
          if (!running.closed && !this.closing) this.log(`[bus] watching ${subjects.join(', ')} failed: ${(err as Error).message}`);
        }
        if (!running.closed && !this.closing) await sleep(RESUBSCRIBE_DELAY_MS);
      }
    })();
    return {
      close: async () => {
        running.closed = true;
        this.onReconnect.delete(restart);
        await running.messages?.close();
        await running.loop;
      },
    };
  }

  private async deliver<S extends Subjects>(msg: JsMsg, ackWaitMs: number, handler: MessageHandler<S>): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    let handled = false;
    let delayMs = 0;
    try {
      const data = msg.json<EventData<S>>();
      const publishedAt = Math.floor(msg.info.timestampNanos / 1e6);
      await handler(data, {
        sequence: msg.seq,
        redelivered: msg.redelivered,
        deliveries,
        publishedAt,
        trace: traceFromHeaders(msg.headers),
      });
      handled = true;
    } catch (err) {
      // An early version waits for its predecessor, not for an outage to pass: no growing delay.
      delayMs = err instanceof OutOfOrderEventError ? ackWaitMs : redeliveryDelayMs(ackWaitMs, deliveries);
      if (isLoggedFailure(deliveries))
        this.log(
          `[bus] ${msg.subject} #${msg.seq} not acked (delivery ${deliveries}), redelivered in ${delayMs} ms: ${(err as Error).message}`,
        );
    }
    try {
      if (handled) msg.ack();
      else msg.nak(delayMs);
    } catch (err) {
      // The connection closed meanwhile: the server redelivers once the ack wait is over.
      this.log(`[bus] ${msg.subject} #${msg.seq}: could not ${handled ? 'ack' : 'nak'}: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.nc.drain().catch(() => this.nc.close());
  }
}
