import { natsStreamingServerUser } from '@ticketing/common';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  LOCAL_NATS_USER,
  LocalClusterMember,
  localNatsConf,
  manifestNatsConf,
  natsConfUsers,
  natsConfVariables,
  natsConfRoutes,
  natsManifests,
  natsUrlVariableOf,
  randomPassword,
} from './nats-config';
import { localJaegerConfig, manifestJaegerConfig } from './jaeger-config';
import { localPrometheusConfig, manifestPrometheusConfig } from './prometheus-config';
import { ensureTool, Tool } from './tools';
import { canConnect, freePort, ManagedProcess, startProcess, waitForPort } from './process';
import { waitForJetStream } from '@ticketing/common/testing';

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
  /** Variables the server itself reads (its config file's `$NAME`s), beside this process's own. */
  serverEnv?: Record<string, string>;
}

/** Installs the tool if needed and runs it on a free (or the given) loopback port. */
const launch = async (spec: ServerSpec, { dataDir, port, log }: ServerOptions): Promise<Server> => {
  const binary = ensureTool(spec.tool);
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `ticketing-${spec.tool}-`));
  fs.mkdirSync(dir, { recursive: true });
  const listen = port ?? (await freePort());
  const run = async () =>
    startProcess(spec.name, binary, await spec.args(dir, listen), {
      port: listen,
      onOutput: log,
      env: { ...process.env, ...spec.serverEnv },
    });

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

export interface NatsServerOptions extends ServerOptions {
  /** Values for the config file's `$VARS` instead of made-up ones. */
  variables?: Record<string, string>;
  /** Whether the local user (every right, for tools and test suites) is added beside the manifest's: yes unless false. */
  localUser?: boolean;
  /** This server's place in a local cluster (JetStream only); alone when absent. */
  cluster?: LocalClusterMember;
}

type Transport = keyof typeof natsManifests;

/**
 * Runs a NATS server with its manifest's own nats.conf: the same users and permissions (and JetStream's store
 * limits), each password made up for the run. NATS_URL carries the local user's (or, without it, no)
 * credentials, NATS_URL_<USER> each user's, which local/src/system hands to the service of that name.
 */
const launchNats = (
  transport: Transport,
  spec: Omit<ServerSpec, 'args' | 'env' | 'serverEnv'> & { args: (dir: string, port: number, configFile: string) => string[] },
  { variables = {}, localUser = true, cluster, ...options }: NatsServerOptions,
) => {
  const manifestConf = manifestNatsConf(natsManifests[transport]);
  const confOf = (port?: number, storeDir?: string) => localNatsConf(manifestConf, { port, storeDir, localUser, cluster });
  const serverEnv: Record<string, string> = {
    ...Object.fromEntries(natsConfVariables(confOf()).map((name) => [name, randomPassword()])),
    ...(localUser ? { [LOCAL_NATS_USER.passwordVariable]: randomPassword() } : {}),
    ...variables,
  };
  const urlOf = (port: number, user?: { user: string; passwordVariable: string }) =>
    user ? `nats://${user.user}:${encodeURIComponent(serverEnv[user.passwordVariable])}@127.0.0.1:${port}` : `nats://127.0.0.1:${port}`;
  // The streaming server's own user is no client's.
  const users = natsConfUsers(manifestConf).filter(({ user }) => user !== natsStreamingServerUser.user);
  return launch(
    {
      ...spec,
      args: (dir, port) => {
        const file = path.join(dir, 'nats.conf');
        const storeDir = transport === 'jetstream' ? dir : undefined;
        fs.writeFileSync(file, confOf(port, storeDir));
        return spec.args(dir, port, file);
      },
      env: (port) => ({
        NATS_URL: urlOf(port, localUser ? LOCAL_NATS_USER : undefined),
        ...Object.fromEntries(users.map((user) => [natsUrlVariableOf(user.user), urlOf(port, user)])),
        ...(transport === 'nats-streaming' ? { NATS_CLUSTER_ID } : {}),
      }),
      serverEnv,
    },
    options,
  );
};

/** nats-streaming-server with a file store, so a restart keeps every channel, client and durable. */
export const startNatsStreaming = (options: NatsServerOptions = {}) =>
  launchNats(
    'nats-streaming',
    {
      name: 'nats-streaming-server',
      tool: 'nats-streaming-server',
      args: (dir, port, configFile) => [
        ...['-a', '127.0.0.1', '-p', String(port), '-cid', NATS_CLUSTER_ID, '-c', configFile],
        ...['-store', 'file', '-dir', dir],
        ...['-hbi', '2s', '-hbt', '2s', '-hbf', '3'],
      ],
    },
    options,
  );

/**
 * nats-server with JetStream (EVENT_BUS=jetstream), its store in the data folder, so a restart keeps the stream
 * and every durable consumer. The stream itself is made by the services (common's JetStreamBus).
 */
export const startNatsJetStream = (options: NatsServerOptions = {}) =>
  launchNats(
    'jetstream',
    { name: options.cluster?.serverName ?? 'nats-server', tool: 'nats-server', args: (_dir, _port, configFile) => ['-c', configFile] },
    options,
  );

/** A local cluster of nats-servers: `env` names every member (NATS_URL=url1,url2,url3); each member restarts on its own. */
export interface ServerCluster extends Server {
  members: Server[];
}

/** Each variable of several servers' env, their values joined by commas (a URL list). */
const joinedEnv = (members: Server[]): Record<string, string> =>
  Object.fromEntries(Object.keys(members[0].env).map((name) => [name, members.map((member) => member.env[name]).join(',')]));

/**
 * As many nats-servers with JetStream as the manifest's cluster block names routes, on 127.0.0.1, routed to each
 * other as the manifest routes its pods; they share the run's passwords. `dataDir` holds a folder per member.
 */
export const startNatsJetStreamCluster = async ({
  dataDir,
  variables = {},
  ...options
}: NatsServerOptions = {}): Promise<ServerCluster> => {
  const manifestConf = manifestNatsConf(natsManifests.jetstream);
  const size = natsConfRoutes(manifestConf).length;
  const shared: Record<string, string> = {
    ...Object.fromEntries(natsConfVariables(localNatsConf(manifestConf, { localUser: true })).map((name) => [name, randomPassword()])),
    [LOCAL_NATS_USER.passwordVariable]: randomPassword(),
    ...variables,
  };
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const members = await Promise.all(
    routePorts.map((clusterPort, index) =>
      startNatsJetStream({
        ...options,
        variables: shared,
        dataDir: dataDir && path.join(dataDir, `nats-${index}`),
        cluster: { serverName: `nats-${index}`, clusterPort, routePorts },
      }),
    ),
  );
  await waitForJetStream(joinedEnv(members).NATS_URL);
  return {
    name: `nats-server cluster of ${size}`,
    members,
    env: { ...joinedEnv(members), JETSTREAM_REPLICAS: String(size) },
    pid: () => members[0].pid(),
    restart: async () => {
      for (const member of members) await member.restart();
    },
    stop: async () => {
      await Promise.all(members.map((member) => member.stop()));
    },
  };
};

/**
 * The one-machine Redis's settings: it holds what the cluster's queue-redis and expiration-redis hold, so its
 * cap is theirs together; as in the cluster, a full Redis refuses new jobs rather than evicting one.
 */
const LOCAL_REDIS_CONFIG = [
  ...['--appendonly', 'yes', '--appendfsync', 'always'],
  ...['--maxmemory', '320mb', '--maxmemory-policy', 'noeviction'],
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

/**
 * Prometheus with the observability manifest's prometheus.yml, its targets read from `targetsFile`
 * (see writeScrapeTargets); the web UI and HTTP API on the port, 127.0.0.1 only.
 */
export const startPrometheus = (options: ServerOptions & { targetsFile: string }) =>
  launch(
    {
      name: 'prometheus',
      tool: 'prometheus',
      args: (dir, port) => {
        const configFile = path.join(dir, 'prometheus.yml');
        fs.writeFileSync(configFile, localPrometheusConfig(manifestPrometheusConfig(), options.targetsFile));
        return [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`];
      },
      env: (port) => ({ PROMETHEUS_URL: `http://127.0.0.1:${port}` }),
    },
    options,
  );

/** Jaeger's own port for its UI and query API, taken when free. */
export const JAEGER_UI_PORT = 16686;

/**
 * Jaeger v2 as a trace store: services send it OTLP over HTTP (OTEL_EXPORTER_OTLP_ENDPOINT), and its query
 * service answers on TRACES_URL (the UI page, and the HTTP API the trace test reads: /api/traces/<id>).
 */
export const startJaeger = async (options: ServerOptions = {}): Promise<Server> => {
  const otlpPort = await freePort();
  const port = options.port ?? ((await canConnect(JAEGER_UI_PORT)) ? undefined : JAEGER_UI_PORT);
  const server = await launch(
    {
      name: 'jaeger',
      tool: 'jaeger',
      args: async (dir, queryPort) => {
        const file = path.join(dir, 'jaeger.yaml');
        fs.writeFileSync(file, localJaegerConfig(manifestJaegerConfig(), { queryPort, queryGrpcPort: await freePort(), otlpPort }));
        return ['--config', file];
      },
      env: (queryPort) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`, TRACES_URL: `http://127.0.0.1:${queryPort}` }),
    },
    { ...options, port },
  );
  // The receivers start after the query service: ready once spans can be sent too.
  await waitForPort(otlpPort, 30_000).catch(async (err: Error) => {
    await server.stop();
    throw err;
  });
  return server;
};
