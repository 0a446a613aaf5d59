import { EventBusKind, eventBusKindOf } from '@ticketing/common';
import { natsConfRoutes, manifestNatsConf, natsManifests } from './nats-config';
import {
  Server,
  ServerCluster,
  ServerOptions,
  startFerretDB,
  startNatsJetStream,
  startNatsJetStreamCluster,
  startNatsStreaming,
  startRedis,
  startStripeMock,
  startZipkin,
} from './servers';

/**
 * `nats` is the event broker EVENT_BUS names (nats-streaming-server, or nats-server -js);
 * `jetstream` is a nats-server -js beside it, for the bus suite that runs on both transports;
 * `traces` is a trace store (Zipkin) the services export their spans to.
 */
export type InfraPiece = 'mongo' | 'nats' | 'jetstream' | 'redis' | 'stripe' | 'traces';

/** An environment variable that, when set, names a server to use instead of starting one. */
const givenBy: Record<InfraPiece, string> = {
  mongo: 'MONGO_URI',
  nats: 'NATS_URL',
  jetstream: 'JETSTREAM_URL',
  redis: 'REDIS_HOST',
  stripe: 'STRIPE_API_URL',
  traces: 'OTEL_EXPORTER_ZIPKIN_ENDPOINT',
};

const brokers: Record<EventBusKind, (options: ServerOptions) => Promise<Server>> = {
  'nats-streaming': startNatsStreaming,
  jetstream: startNatsJetStream,
};

/** How many brokers a run may have: one, or (JetStream only) a cluster of as many as the manifest routes. */
export const brokerCounts = (eventBus: EventBusKind): number[] =>
  eventBus === 'jetstream' ? [1, natsConfRoutes(manifestNatsConf(natsManifests.jetstream)).length] : [1];

/** The broker starter for `count` servers; throws on a count the transport's manifest does not run. */
const brokerOf = (eventBus: EventBusKind, count: number): ((options: ServerOptions) => Promise<Server>) => {
  const allowed = brokerCounts(eventBus);
  if (!allowed.includes(count)) throw new Error(`--brokers must be ${allowed.join(' or ')} with the ${eventBus} event bus, not ${count}`);
  return count === 1 ? brokers[eventBus] : startNatsJetStreamCluster;
};

/** The server of each piece, its data sub-folder, and the variables it hands out. */
const starterOf = (piece: InfraPiece, eventBus: EventBusKind, brokerCount: number) => {
  switch (piece) {
    case 'mongo':
      return { folder: 'mongo', start: startFerretDB, env: (server: Server) => server.env };
    case 'nats':
      return {
        // Each transport keeps its own store: switching EVENT_BUS never mixes them.
        folder: eventBus === 'jetstream' ? (brokerCount > 1 ? 'jetstream-cluster' : 'jetstream') : 'nats',
        start: brokerOf(eventBus, brokerCount),
        env: (server: Server) => ({ ...server.env, EVENT_BUS: eventBus }),
      };
    case 'jetstream':
      return { folder: 'jetstream', start: startNatsJetStream, env: (server: Server) => ({ JETSTREAM_URL: server.env.NATS_URL }) };
    case 'redis':
      return { folder: 'redis', start: startRedis, env: (server: Server) => server.env };
    case 'stripe':
      return { folder: 'stripe', start: startStripeMock, env: (server: Server) => server.env };
    case 'traces':
      return { folder: 'traces', start: startZipkin, env: (server: Server) => server.env };
  }
};

const describe = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');

export interface Infra {
  env: Record<string, string>;
  servers: Partial<Record<InfraPiece, Server>>;
  /** The event broker's servers: the one, or each member of a cluster (for fault tests); none when given by NATS_URL. */
  brokers: Server[];
  stop(): Promise<void>;
}

export interface InfraOptions {
  /** Where to keep data between runs (a sub-folder per server); temporary when absent. */
  dataDir?: string;
  /** Progress lines ("ferretdb ready on ..."); silent when absent. */
  progress?: (line: string) => void;
  /** Servers to use instead of starting them (MONGO_URI, NATS_URL, ...). */
  env?: NodeJS.ProcessEnv;
  /** The broker `nats` starts; EVENT_BUS of `env`, else of this process, else nats-streaming. */
  eventBus?: EventBusKind;
  /** nats-servers the broker runs as: 1 (default), or a JetStream cluster of 3. */
  brokers?: number;
}

const membersOf = (server: Server | ServerCluster): Server[] => ('members' in server ? server.members : [server]);

/**
 * Starts the pieces asked for on free 127.0.0.1 ports, each installed first if missing.
 * A piece whose variable is already set in the environment is used as given.
 */
export const startInfra = async (pieces: InfraPiece[], options: InfraOptions = {}): Promise<Infra> => {
  const { dataDir, progress = () => {}, env = process.env } = options;
  const eventBus = options.eventBus ?? eventBusKindOf(env.EVENT_BUS ? env : process.env);
  const servers: Partial<Record<InfraPiece, Server>> = {};
  const infra: Infra = {
    env: {},
    servers,
    brokers: [],
    stop: async () => {
      await Promise.all(Object.values(servers).map((server) => server.stop()));
    },
  };
  try {
    for (const piece of pieces) {
      const given = env[givenBy[piece]];
      if (given) {
        progress(`${piece}: using ${given} from ${givenBy[piece]}`);
        continue;
      }
      progress(`${piece}: starting`);
      const starter = starterOf(piece, eventBus, options.brokers ?? 1);
      const server = await starter.start({ dataDir: dataDir && `${dataDir}/${starter.folder}` });
      servers[piece] = server;
      if (piece === 'nats') infra.brokers = membersOf(server);
      Object.assign(infra.env, starter.env(server));
      progress(`${piece}: ${server.name} ready (${describe(starter.env(server))})`);
    }
  } catch (err) {
    await infra.stop();
    throw err;
  }
  return infra;
};
