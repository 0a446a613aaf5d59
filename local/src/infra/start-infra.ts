import { Server, ServerOptions, startFerretDB, startNatsStreaming, startRedis, startStripeMock } from './servers';

export type InfraPiece = 'mongo' | 'nats' | 'redis' | 'stripe';

/** An environment variable that, when set, names a server to use instead of starting one. */
const givenBy: Record<InfraPiece, string> = {
  mongo: 'MONGO_URI',
  nats: 'NATS_URL',
  redis: 'REDIS_HOST',
  stripe: 'STRIPE_API_URL',
};

const starters: Record<InfraPiece, (options: ServerOptions) => Promise<Server>> = {
  mongo: startFerretDB,
  nats: startNatsStreaming,
  redis: startRedis,
  stripe: startStripeMock,
};

const describe = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');

export interface Infra {
  env: Record<string, string>;
  servers: Partial<Record<InfraPiece, Server>>;
  stop(): Promise<void>;
}

export interface InfraOptions {
  /** Where to keep data between runs (a sub-folder per server); temporary when absent. */
  dataDir?: string;
  /** Progress lines ("ferretdb ready on ..."); silent when absent. */
  progress?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts the pieces asked for on free 127.0.0.1 ports, each installed first if missing.
 * A piece whose variable is already set in the environment is used as given.
 */
export const startInfra = async (pieces: InfraPiece[], options: InfraOptions = {}): Promise<Infra> => {
  const { dataDir, progress = () => {}, env = process.env } = options;
  const servers: Partial<Record<InfraPiece, Server>> = {};
  const infra: Infra = {
    env: {},
    servers,
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
      const server = await starters[piece]({ dataDir: dataDir && `${dataDir}/${piece}` });
      servers[piece] = server;
      Object.assign(infra.env, server.env);
      progress(`${piece}: ${server.name} ready (${describe(server.env)})`);
    }
  } catch (err) {
    await infra.stop();
    throw err;
  }
  return infra;
};
