import type { EventBus } from './event-bus';
import { NatsStreamingBus } from './nats-streaming-bus';

/** The environment variables the transport needs; the one place outside the bus classes that knows which it is. */
export const eventBusEnv = ['NATS_URL', 'NATS_CLUSTER_ID'] as const;

/** Connects to the event bus `env` names; `clientName` says who is connecting, in the server's logs. */
export const connectEventBus = (clientName: string, env: NodeJS.ProcessEnv = process.env): Promise<EventBus> => {
  const missing = eventBusEnv.filter((name) => !env[name]);
  if (missing.length > 0) return Promise.reject(new Error(`Missing required environment variable(s): ${missing.join(', ')}`));
  return NatsStreamingBus.connect({ clusterId: env.NATS_CLUSTER_ID!, url: env.NATS_URL!, clientName });
};
