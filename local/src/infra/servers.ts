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
import { localPrometheusConfig, manifestPrometheusConfig } from './prometheus-config';
import { ensureTool, Tool } from './tools';
import { manifestZipkinEnv } from './zipkin-config';
import { canConnect, freePort, ManagedProcess, startProcess } from './process';
import { waitForJetStream, waitUntil } from '@ticketing/common/testing';

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
  /** The command line before `args` that runs the tool's file (`java -jar <jar>`); the file itself when absent. */
  launcher?: (file: string) => string[];
  /** How long it may take to listen; startProcess's 30 s when absent. */
  readyTimeoutMs?: number;
  /** Whether it serves yet, asked once it listens: a server that listens before it is ready (Prometheus answers 503). */
  ready?: (port: number) => Promise<boolean>;
}

/** Installs the tool if needed and runs it on a free (or the given) loopback port. */
const launch = async (spec: ServerSpec, { dataDir, port, log }: ServerOptions): Promise<Server> => {
  const binary = ensureTool(spec.tool);
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `ticketing-${spec.tool}-`));
  fs.mkdirSync(dir, { recursive: true });
  const listen = port ?? (await freePort());
  const [command, ...launcherArgs] = spec.launcher ? spec.launcher(binary) : [binary];
  const run = async () => {
    const started = await startProcess(spec.name, command, [...launcherArgs, ...(await spec.args(dir, listen))], {
      port: listen,
      readyTimeoutMs: spec.readyTimeoutMs,
      onOutput: log,
      env: { ...process.env, ...spec.serverEnv },
    });
    const { ready } = spec;
    if (!ready) return started;
    await waitUntil(() => ready(listen), spec.readyTimeoutMs ?? 30_000, `${spec.name} to be ready`).catch(async (err: Error) => {
      await started.stop();
      throw err;
    });
    return started;
  };

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
      ready: async (port) => (await fetch(`http://127.0.0.1:${port}/-/ready`).catch(() => undefined))?.ok === true,
    },
    options,
  );

/** Zipkin's own port for its collector, web UI and query API, taken when free. */
export const ZIPKIN_PORT = 9411;

/**
 * Zipkin's server jar as the trace store, with the manifest's container env (storage in memory, its span cap and
 * heap): services send it their spans (OTEL_EXPORTER_ZIPKIN_ENDPOINT, POST /api/v2/spans), and TRACES_URL is its
 * web UI (Zipkin Lens, /zipkin/) beside the query API the trace test reads (/api/v2/trace/<id>), on one port of 127.0.0.1.
 */
export const startZipkin = async (options: ServerOptions = {}): Promise<Server> => {
  const { JAVA_OPTS = '', ...serverEnv } = manifestZipkinEnv();
  const port = options.port ?? ((await canConnect(ZIPKIN_PORT)) ? undefined : ZIPKIN_PORT);
  return launch(
    {
      name: 'zipkin',
      tool: 'zipkin',
      launcher: (jar) => ['java', ...JAVA_OPTS.split(/\s+/).filter(Boolean), '-jar', jar],
      // A JVM and Spring Boot: some 5 s on an idle machine, several times that on a busy one.
      readyTimeoutMs: 120_000,
      // Armeria's listener list, replaced whole: the port on 127.0.0.1 only.
      args: (_dir, listen) => [`--armeria.ports[0].port=${listen}`, '--armeria.ports[0].ip=127.0.0.1', '--armeria.ports[0].protocols=http'],
      env: (listen) => ({
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: `http://127.0.0.1:${listen}/api/v2/spans`,
        TRACES_URL: `http://127.0.0.1:${listen}/zipkin/`,
      }),
      serverEnv,
    },
    { ...options, port },
  );
};
