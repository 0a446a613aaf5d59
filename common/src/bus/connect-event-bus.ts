import type { EventBus } from './event-bus';
import { JetStreamBus, streamMaxBytesOf, streamReplicasOf } from './jetstream-bus';
import { NatsStreamingBus } from './nats-streaming-bus';

export { natsConnectionOptionsOf, STREAM_NAME } from './jetstream-bus';

/** The transports EVENT_BUS may name; nats-streaming unless set. */
export const eventBusKinds = ['nats-streaming', 'jetstream'] as const;
export type EventBusKind = (typeof eventBusKinds)[number];

/** The transport `env` names in EVENT_BUS; throws on a name that is none of them. */
export const eventBusKindOf = (env: NodeJS.ProcessEnv = process.env): EventBusKind => {
  const kind = env.EVENT_BUS || 'nats-streaming';
  if (!(eventBusKinds as readonly string[]).includes(kind))
    throw new Error(`EVENT_BUS must be one of ${eventBusKinds.join(', ')}, not "${kind}"`);
  return kind as EventBusKind;
};

/** The environment variables each transport needs. */
const requiredEnv: Record<EventBusKind, readonly string[]> = {
  'nats-streaming': ['NATS_URL', 'NATS_CLUSTER_ID'],
  jetstream: ['NATS_URL'],
};

/** The environment variables the transport EVENT_BUS names needs; the one place outside the bus classes that knows which it is. */
export const eventBusEnvOf = (env: NodeJS.ProcessEnv = process.env): readonly string[] => requiredEnv[eventBusKindOf(env)];

/** Connects to the event bus `env` names (EVENT_BUS, NATS_URL, ...); `clientName` says who is connecting, in the server's logs. */
export const connectEventBus = async (clientName: string, env: NodeJS.ProcessEnv = process.env): Promise<EventBus> => {
  const kind = eventBusKindOf(env);
  const missing = requiredEnv[kind].filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`Missing required environment variable(s): ${missing.join(', ')}`);
  if (kind === 'jetstream')
    return JetStreamBus.connect({ url: env.NATS_URL!, clientName, maxBytes: streamMaxBytesOf(env), replicas: streamReplicasOf(env) });
  return NatsStreamingBus.connect({ clusterId: env.NATS_CLUSTER_ID!, url: env.NATS_URL!, clientName });
};
