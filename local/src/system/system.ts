import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { connectEventBus, databaseUri, EventBus, EventBusKind, eventBusKindOf, Subjects } from '@ticketing/common';
import { containerEnvValue } from '../infra/manifests';
import { freePort } from '../infra/process';
import { natsUrlVariableOf } from '../infra/nats-config';
import { Infra, startInfra } from '../infra/start-infra';
import { repoRoot } from '../infra/tools';
import { buildClientIfStale, clientProcess } from './client';
import { Observability } from './observability';
import { ServiceProcess, ServiceProcessOptions } from './service-process';

export const serviceNames = ['auth', 'tickets', 'orders', 'payments', 'balances', 'expiration', 'live', 'queue'] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface SystemOptions {
  /** Gateway port; a free one when absent. */
  port?: number;
  /** Keep databases, NATS channels and Redis here between runs; temporary when absent. */
  dataDir?: string;
  /** The event transport (EVENT_BUS): nats-streaming-server, or nats-server with JetStream; EVENT_BUS of `env`, else of this process, else nats-streaming. */
  eventBus?: EventBusKind;
  /** nats-servers the event broker runs as: 1 (default), or 3 clustered (JetStream), each service connected to all. */
  brokers?: number;
  /** How long an order holds its ticket. */
  expirationWindowSeconds?: number;
  /** Start the Next.js client too (built first when its sources changed). */
  client?: boolean;
  /** Print every event that crosses the event bus. */
  onEvent?: (subject: Subjects, data: unknown) => void;
  /** One line per component as it becomes ready. */
  progress?: (line: string) => void;
  /** Output of the service processes. */
  log?: (name: string, line: string) => void;
  /** What the supervisor does: a process (a service, the gateway) that exited and is restarted; `log` when absent. */
  notice?: (name: string, line: string) => void;
  /** Servers to use instead of starting them (MONGO_URI, NATS_URL, ...); none by default. */
  env?: NodeJS.ProcessEnv;
  /** Extra or overriding variables for single services (fault tests put proxies in between). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Processes of each service (all are stateless), behind the gateway's round-robin; 1 when absent. */
  replicas?: number;
  /**
   * Start the observability servers and wire every service to them: Prometheus scraping each process's metrics
   * port, and a trace store (Zipkin) that each service sends its spans to, or the Zipkin endpoint
   * OTEL_EXPORTER_ZIPKIN_ENDPOINT of `env` names (`npm start -- --observe`).
   */
  observe?: boolean;
  /** The services log readable lines (LOG_PRETTY) instead of JSON. */
  prettyLogs?: boolean;
  /** Processes of single services instead of `replicas` (the rush bench runs several queue processes, one of the rest). */
  serviceReplicas?: Partial<Record<ServiceName, number>>;
  /** Processes of the gateway sharing its port (node's cluster); 1 when absent. */
  gatewayProcesses?: number;
}

export interface System {
  url: string;
  infra: Infra;
  /** The first replica of each service. */
  services: Record<ServiceName, ServiceProcess>;
  /** Every replica of each service, in the gateway's order. */
  replicas: Record<ServiceName, ServiceProcess[]>;
  client?: ServiceProcess;
  /** The gateway's own process, supervised as the services are: its failure ends no service. */
  gateway: ServiceProcess;
  /** Environment the services were started with (for tests that talk to the servers directly). */
  env: Record<string, string>;
  /** Prometheus's web UI and HTTP API, with `observe`. */
  metricsUrl?: string;
  /** The trace store's web UI (Zipkin Lens; its query API is /api/v2 of the same origin), when `observe` started one. */
  tracesUrl?: string;
  stop(): Promise<void>;
}

/** A development key (`jwt-key`, `admission-key`), generated once per data folder (or per run) and never committed. */
const devKey = (name: string, dataDir?: string): string => {
  if (!dataDir) return crypto.randomBytes(32).toString('hex');
  const file = path.join(dataDir, name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
};

const gatewayProcess = ({
  port,
  upstreams,
  processes,
  log,
  notice,
}: { port: number; upstreams: Record<string, string[]>; processes: number } & Pick<ServiceProcessOptions, 'log' | 'notice'>) =>
  new ServiceProcess({
    name: 'gateway',
    command: process.execPath,
    args: [path.join(repoRoot, 'local/build/gateway/main.js')],
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      GATEWAY_PORT: String(port),
      GATEWAY_UPSTREAMS: JSON.stringify(upstreams),
      GATEWAY_PROCESSES: String(processes),
    },
    port,
    log,
    notice,
  });

/** What points a service's OpenTelemetry SDK at the trace store: Zipkin's exporter, spans sent every half second, not every five. */
const tracingEnv = (endpoint: string) => ({
  OTEL_TRACES_EXPORTER: 'zipkin',
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '500',
});

/** Starts the whole system on this machine the way the cluster runs it, behind one gateway. */
export const startSystem = async (options: SystemOptions = {}): Promise<System> => {
  const progress = options.progress ?? (() => {});
  const log = options.log ?? (() => {});
  const notice = options.notice ?? log;
  const eventBus = options.eventBus ?? eventBusKindOf(options.env?.EVENT_BUS ? options.env : process.env);
  const infra = await startInfra(['mongo', 'nats', 'redis', 'stripe', ...(options.observe ? (['traces'] as const) : [])], {
    dataDir: options.dataDir,
    progress,
    env: options.env ?? {},
    eventBus,
    brokers: options.brokers,
  });
  const given = (name: string) => options.env?.[name] ?? infra.env[name];
  const env: Record<string, string> = {
    MONGO_URI: given('MONGO_URI'),
    EVENT_BUS: eventBus,
    NATS_URL: given('NATS_URL'),
    NATS_CLUSTER_ID: given('NATS_CLUSTER_ID') ?? 'ticketing',
    ...(given('JETSTREAM_REPLICAS') ? { JETSTREAM_REPLICAS: given('JETSTREAM_REPLICAS') } : {}),
    REDIS_HOST: given('REDIS_HOST'),
    REDIS_PORT: given('REDIS_PORT') ?? '6379',
    STRIPE_API_URL: given('STRIPE_API_URL'),
    // stripe-mock accepts any well-formed test key; a real one only comes from the environment.
    STRIPE_KEY: options.env?.STRIPE_KEY ?? `sk_test_${crypto.randomBytes(12).toString('hex')}`,
    JWT_KEY: devKey('jwt-key', options.dataDir),
    // Every client here is 127.0.0.1, as if behind one NAT: room for the suites' and the bench's sign-ups.
    SIGNUP_RATE_LIMIT: options.env?.SIGNUP_RATE_LIMIT ?? '1000',
    EXPIRATION_WINDOW_SECONDS: String(options.expirationWindowSeconds ?? 15 * 60),
    ...(options.observe ? tracingEnv(given('OTEL_EXPORTER_ZIPKIN_ENDPOINT')) : {}),
    ...(options.prettyLogs ? { LOG_PRETTY: 'true' } : {}),
  };
  const tracesUrl = options.observe ? infra.env.TRACES_URL : undefined;
  if (options.observe) progress(`traces ${tracesUrl ?? `sent to ${env.OTEL_EXPORTER_ZIPKIN_ENDPOINT}`}`);

  // Only queue (signs) and orders (checks) hold the admission key, as in the cluster.
  const admission = { ADMISSION_KEY: devKey('admission-key', options.dataDir) };
  // Queue's Node options (its heap's young generation) as its pod has them: the benches measure its memory.
  const queueNodeOptions = containerEnvValue('queue-depl.yaml', 'queue', 'NODE_OPTIONS');
  const ownEnv: Partial<Record<ServiceName, Record<string, string>>> = {
    queue: { ...admission, ...(queueNodeOptions ? { NODE_OPTIONS: queueNodeOptions } : {}) },
    orders: admission,
  };

  const started: { stop(): Promise<void> }[] = [];
  let watcher: EventBus | undefined;
  let observability: Observability | undefined;
  const stop = async () => {
    // Each process is out of supervision from this call on: one that Ctrl-C ended first is not reported as a crash.
    const processes = Promise.all(started.reverse().map((piece) => piece.stop()));
    await watcher?.close().catch(() => {});
    await processes;
    await observability?.stop();
    await infra.stop();
  };

  try {
    const gatewayPort = options.port ?? (await freePort());
    const url = `http://127.0.0.1:${gatewayPort}`;

    if (options.onEvent) {
      watcher = await connectEventBus('event-log', { ...env, NATS_URL: given(natsUrlVariableOf('events')) ?? env.NATS_URL });
      watcher.watch(Object.values(Subjects), options.onEvent);
    }

    if (options.observe) {
      observability = await Observability.start(options.dataDir);
      progress(`metrics: prometheus ready on ${observability.metricsUrl}`);
    }

    const replicaCount = (name: ServiceName) => options.serviceReplicas?.[name] ?? options.replicas ?? 1;
    const replicaName = (name: ServiceName, replica: number) => (replicaCount(name) === 1 ? name : `${name}-${replica}`);
    const startReplica = async (name: ServiceName, replica: number) => {
      const port = await freePort();
      const metricsPort = await freePort();
      const service = new ServiceProcess({
        name: replicaName(name, replica),
        command: process.execPath,
        args: [path.join(repoRoot, name, 'build/index.js')],
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'development',
          ...env,
          // Its own NATS user, which may publish only what it publishes, when the server was started here.
          NATS_URL: given(natsUrlVariableOf(name)) ?? env.NATS_URL,
          MONGO_URI: databaseUri(env.MONGO_URI, name),
          HOST: '127.0.0.1',
          PORT: String(port),
          METRICS_PORT: String(metricsPort),
          ...(options.observe ? { OTEL_SERVICE_NAME: name } : {}),
          ...ownEnv[name],
          ...options.serviceEnv?.[name],
        },
        port,
        healthPath: '/healthz',
        log,
        notice,
      });
      started.push(service);
      await service.start();
      observability?.addTarget({ address: `127.0.0.1:${metricsPort}`, app: name, pod: replicaName(name, replica) });
      return service;
    };
    for (const count of [...serviceNames.map(replicaCount), options.gatewayProcesses ?? 1])
      if (!Number.isInteger(count) || count < 1) throw new Error(`replicas must be a whole number of at least 1, not ${count}`);
    const replicas = Object.fromEntries(serviceNames.map((name) => [name, [] as ServiceProcess[]])) as Record<
      ServiceName,
      ServiceProcess[]
    >;
    for (const name of serviceNames) {
      for (let replica = 1; replica <= replicaCount(name); replica++) {
        const service = await startReplica(name, replica);
        replicas[name].push(service);
        progress(`${replicaName(name, replica)}: ready on ${service.url}`);
      }
    }
    const services = Object.fromEntries(serviceNames.map((name) => [name, replicas[name][0]])) as Record<ServiceName, ServiceProcess>;

    let client: ServiceProcess | undefined;
    if (options.client) {
      buildClientIfStale(progress);
      client = clientProcess({ port: await freePort(), apiUrl: url, log, notice });
      started.push(client);
      await client.start();
      progress(`client: ready on ${client.url}`);
    }

    const upstreams: Record<string, string[]> = Object.fromEntries(
      serviceNames.map((name) => [`${name}-srv`, replicas[name].map((replica) => replica.url)]),
    );
    if (client) upstreams['client-srv'] = [client.url];
    const gateway = gatewayProcess({ port: gatewayPort, upstreams, processes: options.gatewayProcesses ?? 1, log, notice });
    started.push(gateway);
    await gateway.start();
    progress(`gateway: ready on ${url} (routes from infra/k8s/ingress-srv.yaml)`);

    return { url, infra, services, replicas, client, gateway, env, metricsUrl: observability?.metricsUrl, tracesUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
};
