import os from 'os';
import path from 'path';
import { parseArgs } from 'util';
import { formatTable, runBench } from '../bench/bench';
import { formatLiveTable, runLiveBench } from '../bench/live';
import { formatQueueTable, runQueueBench } from '../bench/queue';
import { formatRawTable, measureRawDatabase } from '../bench/raw-database';
import { runRush } from '../bench/rush';
import { formatRushTable } from '../bench/rush-report';
import { repoRoot } from '../infra/tools';
import { startSystem, System } from '../system/system';
import { parseOptions } from './options';

const usage = `usage: npm run bench -- [options]
  --url URL          measure a running system's gateway (needs --mongo-uri or $MONGO_URI)
  --mongo-uri URI    the MongoDB-wire server that system's services share
  --levels LIST      stored orders at which to measure (default 0,5000,20000)
  --listings LIST    listings for sale at each level, one entry per level or one for all (default 1000); the listing
                     and ticket pages are read while 20 buyers place orders on them
  --round N          tickets, orders and listings per measured round (default 400)
  --in-flight N      requests in flight (default 20)
  --rest N           events sent one at a time to time propagation at rest (default 30)
  --warm-up N        orders placed before the first measurement (default 1000; 0 measures a cold system)
  --replicas LIST    processes of each service in the system it starts, one whole run per entry (default 1; e.g. 1,3)
  --brokers LIST     nats-servers of its event bus, one whole run per entry (default 1; 1,3 with EVENT_BUS=jetstream
                     compares one broker with a cluster of three at R3)
  --tracing          each run twice: without observability, then as --observe runs it (every span to Zipkin,
                     Prometheus scraping); prints what tracing costs in orders placed/s
  --live             instead: WebSockets on one live process, and event→socket latency (starts its own system)
  --sockets N        with --live: sockets to open (default 1000)
  --events N         with --live: ticket events to publish (default 200)
  --rate N           with --live: events per second (default 20)
  --queue            instead: joins/s and position-update latency on one queue process, every buyer waiting with a socket
                     (starts its own system)
  --waiters N        with --queue: buyers who join and wait (default 2000)
  --active N         with --queue: the waiting room's activeBuyers (default 50)
  --moves N          with --queue: slots freed one at a time, each moving every waiting buyer up (default 5)
  --rush             instead: the rush end to end through the gateway (sign-in cookie, join, socket, admission,
                     order with the token, payment); writes bench-results/rush.json and rush.svg (starts its own system)
  --buyers N         with --rush: buyers in the crowd (default 50000)
  --units N          with --rush: units of the one listing (default 5000)
  --active N         with --rush: the waiting room's activeBuyers (default 500)
  --unpaid SHARE     with --rush: share of admitted buyers who order and never pay (default 0.1)
  --expiry S         with --rush: seconds an unpaid order holds its unit (default 30)
  --queue-processes N   with --rush: queue processes (default one per 15,000 buyers: one holds at most 20,000 files)
  --gateway-processes N with --rush: gateway processes sharing its port (default one per 8,000 buyers: two files a socket)
  --generators N     with --rush: buyer processes (default one per 15,000 buyers)
  --sources N        with --rush: loopback source addresses 127.0.0.2… (default 8)
  --deadline S       with --rush: seconds the sale may take before the run stops (default 600)
Without --url it starts the system as \`npm start\` does (API only, fresh temporary data) and stops it after.`;

const parse = (args: string[]) =>
  parseArgs({
    args,
    options: {
      url: { type: 'string' },
      'mongo-uri': { type: 'string', default: process.env.MONGO_URI },
      levels: { type: 'string', default: '0,5000,20000' },
      listings: { type: 'string', default: '1000' },
      round: { type: 'string', default: '400' },
      'in-flight': { type: 'string', default: '20' },
      rest: { type: 'string', default: '30' },
      'warm-up': { type: 'string', default: '1000' },
      replicas: { type: 'string', default: '1' },
      brokers: { type: 'string', default: '1' },
      live: { type: 'boolean', default: false },
      sockets: { type: 'string', default: '1000' },
      events: { type: 'string', default: '200' },
      rate: { type: 'string', default: '20' },
      queue: { type: 'boolean', default: false },
      waiters: { type: 'string', default: '2000' },
      active: { type: 'string' },
      moves: { type: 'string', default: '5' },
      rush: { type: 'boolean', default: false },
      tracing: { type: 'boolean', default: false },
      buyers: { type: 'string', default: '50000' },
      units: { type: 'string', default: '5000' },
      unpaid: { type: 'string', default: '0.1' },
      expiry: { type: 'string', default: '30' },
      'queue-processes': { type: 'string' },
      'gateway-processes': { type: 'string' },
      generators: { type: 'string' },
      sources: { type: 'string', default: '8' },
      deadline: { type: 'string', default: '600' },
      help: { type: 'boolean', default: false },
    },
  }).values;

const count = (value: string, name: string, min = 1) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new Error(`--${name} must be a whole number of at least ${min}, got "${value}"`);
  return number;
};

/** `--listings`: one count for every level, or one per level. */
const listingsPerLevel = (value: string, levels: number) => {
  const listings = value.split(',').map((entry) => count(entry.trim(), 'listings'));
  if (listings.length === 1) return Array.from({ length: levels }, () => listings[0]);
  if (listings.length !== levels) throw new Error(`--listings needs one entry, or one per level (${levels}), got "${value}"`);
  return listings;
};

const share = (value: string, name: string) => {
  const number = Number(value);
  if (!(number >= 0 && number < 1)) throw new Error(`--${name} must be a share from 0 up to (not including) 1, got "${value}"`);
  return number;
};

/** Processes needed so that none holds more than `perProcess` of `buyers`' sockets. */
const processesFor = (buyers: number, perProcess: number) => Math.max(1, Math.ceil(buyers / perProcess));

const rushSettingsOf = (options: ReturnType<typeof parse>) => {
  const buyers = count(options.buyers, 'buyers');
  return {
    buyers,
    units: count(options.units, 'units'),
    activeBuyers: count(options.active ?? '500', 'active'),
    unpaidShare: share(options.unpaid, 'unpaid'),
    expirySeconds: count(options.expiry, 'expiry'),
    queueProcesses: count(options['queue-processes'] ?? String(processesFor(buyers, 15_000)), 'queue-processes'),
    gatewayProcesses: count(options['gateway-processes'] ?? String(processesFor(buyers, 8_000)), 'gateway-processes'),
    generators: count(options.generators ?? String(processesFor(buyers, 15_000)), 'generators'),
    sourceAddresses: count(options.sources, 'sources'),
    saleDeadlineMs: count(options.deadline, 'deadline') * 1000,
  };
};

const loopbackOnly = (url: string) => {
  const { hostname } = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) throw new Error(`--url must be on this machine (127.0.0.1), got ${url}`);
  return url;
};

/** `npm run bench`: throughput and event propagation at growing data sizes, as one table. */
export const bench = async (args: string[]): Promise<number> => {
  const parsed = parseOptions(usage, () => {
    const options = parse(args);
    if (options.url && !options['mongo-uri']) throw new Error('--url needs --mongo-uri (or $MONGO_URI) to read the replicas');
    if (options.url) loopbackOnly(options.url);
    if (options.live && options.url) throw new Error('--live starts its own system; it does not take --url');
    const replicas = options.replicas.split(',').map((n) => count(n.trim(), 'replicas'));
    if (options.url && options.replicas !== '1') throw new Error('--replicas sizes the system the bench starts; it does not take --url');
    const brokers = options.brokers.split(',').map((n) => count(n.trim(), 'brokers'));
    if (options.url && options.brokers !== '1') throw new Error('--brokers sizes the system the bench starts; it does not take --url');
    if (options.queue && options.url) throw new Error('--queue starts its own system; it does not take --url');
    if ([options.queue, options.live, options.rush].filter(Boolean).length > 1)
      throw new Error('--queue, --live and --rush are separate runs: pick one');
    if (options.rush && options.url) throw new Error('--rush starts its own system; it does not take --url');
    if (options.tracing && options.url) throw new Error('--tracing starts its own systems; it does not take --url');
    const levels = options.levels
      .split(',')
      .map((level) => count(level.trim(), 'levels', 0))
      .sort((a, b) => a - b);
    const settings = {
      levels,
      listings: listingsPerLevel(options.listings, levels.length),
      roundSize: count(options.round, 'round'),
      inFlight: count(options['in-flight'], 'in-flight'),
      restSamples: count(options.rest, 'rest'),
      warmUpOrders: count(options['warm-up'], 'warm-up', 0),
    };
    const liveSettings = {
      sockets: count(options.sockets, 'sockets'),
      events: count(options.events, 'events'),
      rate: count(options.rate, 'rate'),
    };
    const queueSettings = {
      waiters: count(options.waiters, 'waiters'),
      activeBuyers: count(options.active ?? '50', 'active'),
      moves: count(options.moves, 'moves'),
    };
    return { ...options, replicas, brokers, settings, liveSettings, queueSettings, rushSettings: rushSettingsOf(options) };
  });
  if (typeof parsed === 'number') return parsed;
  const { settings, liveSettings, queueSettings, rushSettings, replicas, brokers, ...options } = parsed;
  if (options.rush) return benchRush(rushSettings);
  if (options.live) return benchLive(liveSettings);
  if (options.queue) return benchQueue(queueSettings);

  const placement: string[] = [];
  const tracing: string[] = [];
  const shapes = brokers.flatMap((brokerCount) => replicas.map((replicaCount) => ({ brokerCount, replicaCount })));
  for (const [i, { brokerCount, replicaCount }] of shapes.entries()) {
    const shape = `${replicaCount} replica${replicaCount === 1 ? '' : 's'}${
      brokers.length > 1 ? `, ${brokerCount} broker${brokerCount === 1 ? '' : 's'}` : ''
    }`;
    // The database server alone is measured once, with the first system.
    const run = {
      url: options.url,
      mongoUri: options['mongo-uri'],
      replicas: replicaCount,
      brokers: brokerCount,
      settings,
      raw: i === 0,
      observe: false,
    };
    const rate = await benchSystem(run);
    placement.push(`${shape}: ${rate.toFixed(0)}/s`);
    if (!options.tracing) continue;
    const traced = await benchSystem({ ...run, raw: false, observe: true });
    tracing.push(`${shape}: ${rate.toFixed(0)}/s off, ${traced.toFixed(0)}/s on (${costOf(rate, traced)})`);
  }
  if (!options.url) console.log(`\nOrders placed/s at the first level, per processes of each service: ${placement.join(', ')}`);
  if (options.tracing) console.log(`Orders placed/s at the first level without and with tracing (--observe): ${tracing.join(', ')}`);
  return 0;
};

/** What turning tracing on cost, as a share of the rate without it. */
const costOf = (off: number, on: number) => `${(((off - on) / off) * 100).toFixed(1)}% cost`;

interface SystemBench {
  url?: string;
  mongoUri?: string;
  replicas: number;
  brokers: number;
  settings: Omit<Parameters<typeof runBench>[0], 'url' | 'mongoUri' | 'progress'>;
  /** Also measure the database server alone. */
  raw: boolean;
  /** Start it as `npm start -- --observe` does: traces to Zipkin, Prometheus scraping. */
  observe: boolean;
}

/** One whole run against one system (started here unless `url` names one); the first level's orders placed/s. */
const benchSystem = async ({ url, mongoUri, replicas, brokers, settings, raw, observe }: SystemBench): Promise<number> => {
  let system: System | undefined;
  const progress = (line: string) => console.log(`[bench] ${line}`);
  try {
    if (!url) {
      const traced = observe ? ', traced (--observe)' : '';
      progress(
        `starting the system (API only, ${replicas} process${replicas === 1 ? '' : 'es'} of each service, ${brokers} broker(s)${traced})`,
      );
      // Orders must outlive the run, or expiry would add its own load halfway through.
      system = await startSystem({
        expirationWindowSeconds: 6 * 3600,
        replicas,
        brokers,
        observe,
        progress: (line) => progress(`ready: ${line}`),
      });
    }
    const gateway = url ?? system!.url;
    const database = system?.env.MONGO_URI ?? mongoUri!;
    const rows = await runBench({ url: gateway, mongoUri: database, ...settings, progress });
    const shape = system
      ? `; ${replicas} process${replicas === 1 ? '' : 'es'} of each service, ${brokers} broker(s)${observe ? '; traced' : ''}`
      : '';
    console.log(
      `\nThrough the gateway (${machine()}; ${settings.inFlight} requests in flight, rounds of ${settings.roundSize}${shape}):\n`,
    );
    console.log(formatTable(rows));
    if (raw) {
      progress('measuring the database server alone');
      const rawRows = await measureRawDatabase(database, settings.levels);
      console.log(`\nThe database server alone (one connection, one request at a time):\n`);
      console.log(formatRawTable(rawRows));
    }
    return rows[0]?.ordersPerSecond ?? NaN;
  } finally {
    await system?.stop();
  }
};

const machine = () => `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;

/** `npm run bench -- --live`: sockets on one live process, event→socket latency and memory per socket. */
const benchLive = async (settings: { sockets: number; events: number; rate: number }): Promise<number> => {
  const progress = (line: string) => console.log(`[bench] ${line}`);
  progress('starting the system (API only)');
  const system = await startSystem({ progress: (line) => progress(`ready: ${line}`) });
  try {
    const live = system.services.live;
    if (live.pid === undefined) throw new Error('the live process is not running');
    const row = await runLiveBench({ liveUrl: live.url, livePid: live.pid, env: system.env, ...settings, progress });
    console.log(`\nLive (${machine()}; one live process, anonymous sockets, ${settings.rate} events/s):\n`);
    console.log(formatLiveTable(row));
    return 0;
  } finally {
    await system.stop();
  }
};

/** `npm run bench -- --queue`: one queue process, joins/s, admission and position pushes to waiting sockets. */
const benchQueue = async (settings: { waiters: number; activeBuyers: number; moves: number }): Promise<number> => {
  const progress = (line: string) => console.log(`[bench] ${line}`);
  progress('starting the system (API only)');
  const system = await startSystem({ progress: (line) => progress(`ready: ${line}`) });
  try {
    const queue = system.services.queue;
    if (queue.pid === undefined) throw new Error('the queue process is not running');
    const row = await runQueueBench({ queueUrl: queue.url, queuePid: queue.pid, env: system.env, inFlight: 50, ...settings, progress });
    console.log(`\nQueue (${machine()}; one queue process, ${settings.activeBuyers} active buyers, 50 joins in flight):\n`);
    console.log(formatQueueTable(row));
    return 0;
  } finally {
    await system.stop();
  }
};

const RUSH_ADMISSION_MS = 60_000;

/** `npm run bench -- --rush`: the rush through the gateway, several queue and gateway processes; a report and its picture. */
const benchRush = async ({
  queueProcesses,
  gatewayProcesses,
  expirySeconds,
  ...settings
}: ReturnType<typeof rushSettingsOf>): Promise<number> => {
  const progress = (line: string) => console.log(`[bench] ${line}`);
  progress(`starting the system (API only, ${queueProcesses} queue processes, ${gatewayProcesses} gateway processes)`);
  const system = await startSystem({
    expirationWindowSeconds: expirySeconds,
    serviceReplicas: { queue: queueProcesses },
    gatewayProcesses,
    serviceEnv: { queue: { QUEUE_ADMISSION_MS: String(RUSH_ADMISSION_MS) } },
    progress: (line) => progress(`ready: ${line}`),
  });
  try {
    const outDir = path.join(repoRoot, 'bench-results');
    const report = await runRush({ system, ...settings, joinsInFlight: 100, admissionMs: RUSH_ADMISSION_MS, outDir, progress });
    console.log(
      `\nThe rush (${machine()}; ${queueProcesses} queue and ${gatewayProcesses} gateway processes, ${settings.generators} buyer processes):\n`,
    );
    console.log(formatRushTable(report));
    console.log(`\nWritten: ${path.join(outDir, 'rush.json')} and rush.svg`);
    return 0;
  } finally {
    await system.stop();
  }
};
