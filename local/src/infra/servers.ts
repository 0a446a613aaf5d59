import fs from 'fs';
import os from 'os';
import path from 'path';
import { ensureTool, Tool } from './tools';
import { freePort, ManagedProcess, startProcess } from './process';

export interface Server {
  name: string;
  /** Environment variables that point a client at this server. */
  env: Record<string, string>;
  /** Stops the process and removes its data unless a data folder was given. */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port with the same data (for fault tests). */
  restart(): Promise<void>;
  pid(): number | undefined;
}

export interface ServerOptions {
  /** Directory for data that should outlive the process; a temporary one by default. */
  dataDir?: string;
  port?: number;
  log?: (line: string) => void;
}

interface ServerSpec {
  name: string;
  tool: Tool;
  args: (dir: string, port: number) => Promise<string[]> | string[];
  env: (port: number) => Record<string, string>;
}

/** Installs the tool if needed and runs it on a free (or the given) loopback port. */
const launch = async (spec: ServerSpec, { dataDir, port, log }: ServerOptions): Promise<Server> => {
  const binary = ensureTool(spec.tool);
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `ticketing-${spec.tool}-`));
  fs.mkdirSync(dir, { recursive: true });
  const listen = port ?? (await freePort());
  const run = async () => startProcess(spec.name, binary, await spec.args(dir, listen), { port: listen, onOutput: log });

  let current: ManagedProcess = await run();
  return {
    name: spec.name,
    env: spec.env(listen),
    pid: () => current.child.pid,
    restart: async () => {
      await current.stop();
      current = await run();
    },
    stop: async () => {
      await current.stop();
      if (!dataDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

/**
 * FerretDB with its SQLite backend: a MongoDB-wire server without a mongod binary.
 * Built with local/scripts/ferretdb-sqlite-atomic-writes.patch, each single-document
 * update is atomic across connections and processes, as on MongoDB, so a service may
 * use several connections (one connection capped a service near 110 orders/s).
 */
export const startFerretDB = (options: ServerOptions = {}) =>
  launch(
    {
      name: 'ferretdb',
      tool: 'ferretdb',
      args: async (dir, port) => [
        '--handler=sqlite',
        // In WAL mode NORMAL loses no commit when a process dies, only on a power cut; it skips an fsync per write.
        `--sqlite-url=file:${dir}/?_pragma=synchronous(normal)`,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        `--debug-addr=127.0.0.1:${await freePort()}`,
        '--telemetry=disable',
        '--log-level=error',
      ],
      env: (port) => ({ MONGO_URI: `mongodb://127.0.0.1:${port}/?maxPoolSize=8` }),
    },
    options,
  );

export const NATS_CLUSTER_ID = 'ticketing';

/** nats-streaming-server with a file store, so a restart keeps every channel, client and durable. */
export const startNatsStreaming = (options: ServerOptions = {}) =>
  launch(
    {
      name: 'nats-streaming-server',
      tool: 'nats-streaming-server',
      args: (dir, port) => [
        ...['-a', '127.0.0.1', '-p', String(port), '-cid', NATS_CLUSTER_ID],
        ...['-store', 'file', '-dir', dir],
        ...['-hbi', '2s', '-hbt', '2s', '-hbf', '3'],
      ],
      env: (port) => ({ NATS_URL: `nats://127.0.0.1:${port}`, NATS_CLUSTER_ID }),
    },
    options,
  );

/**
 * nats-server with JetStream (EVENT_BUS=jetstream), its store in the data folder, so a restart keeps the
 * stream and every durable consumer. The stream itself is made by the services (common's JetStreamBus).
 */
export const startNatsJetStream = (options: ServerOptions = {}) =>
  launch(
    {
      name: 'nats-server',
      tool: 'nats-server',
      args: (dir, port) => ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir, '-n', 'ticketing'],
      env: (port) => ({ NATS_URL: `nats://127.0.0.1:${port}` }),
    },
    options,
  );

/**
 * The one-machine Redis's settings: it holds what the cluster's queue-redis and expiration-redis hold, so its
 * cap is theirs together; as in the cluster, a full Redis refuses new jobs rather than evicting one.
 */
const LOCAL_REDIS_CONFIG = [
  ...['--appendonly', 'yes', '--appendfsync', 'always'],
  ...['--maxmemory', '288mb', '--maxmemory-policy', 'noeviction'],
];

/**
 * Debian's redis-server with an append-only file, so bull's jobs survive a restart of Redis. `config`
 * replaces the settings (a manifest's args, see redisArgsOf); address, folder and snapshots stay this machine's.
 */
export const startRedis = (options: ServerOptions & { config?: string[] } = {}) =>
  launch(
    {
      name: 'redis-server',
      tool: 'redis',
      args: (dir, port) => [
        ...(options.config ?? LOCAL_REDIS_CONFIG),
        ...['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', ''],
      ],
      env: (port) => ({ REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port) }),
    },
    options,
  );

/** stripe-mock: Stripe's own API mock, which validates each request against the real API spec. */
export const startStripeMock = (options: ServerOptions = {}) =>
  launch(
    {
      name: 'stripe-mock',
      tool: 'stripe-mock',
      // It also serves HTTPS, on a fixed port unless told otherwise: give it a free one.
      args: async (_dir, port) => ['-http-addr', `127.0.0.1:${port}`, '-https-addr', `127.0.0.1:${await freePort()}`],
      env: (port) => ({ STRIPE_API_URL: `http://127.0.0.1:${port}` }),
    },
    options,
  );
