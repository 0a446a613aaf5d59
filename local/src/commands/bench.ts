import os from 'os';
import { parseArgs } from 'util';
import { formatTable, runBench } from '../bench/bench';
import { formatLiveTable, runLiveBench } from '../bench/live';
import { formatQueueTable, runQueueBench } from '../bench/queue';
import { formatRawTable, measureRawDatabase } from '../bench/raw-database';
import { startSystem, System } from '../system/system';
import { parseOptions } from './options';

const usage = `usage: npm run bench -- [options]
  --url URL          measure a running system's gateway (needs --mongo-uri or $MONGO_URI)
  --mongo-uri URI    the MongoDB-wire server that system's services share
  --levels LIST      stored orders at which to measure (default 0,5000,20000)
  --round N          tickets, orders and listings per measured round (default 400)
  --in-flight N      requests in flight (default 20)
  --rest N           events sent one at a time to time propagation at rest (default 30)
  --warm-up N        orders placed before the first measurement (default 1000; 0 measures a cold system)
  --replicas LIST    processes of each service in the system it starts, one whole run per entry (default 1; e.g. 1,3)
  --brokers LIST     nats-servers of its event bus, one whole run per entry (default 1; 1,3 with EVENT_BUS=jetstream
                     compares one broker with a cluster of three at R3)
  --live             instead: WebSockets on one live process, and event→socket latency (starts its own system)
  --sockets N        with --live: sockets to open (default 1000)
  --events N         with --live: ticket events to publish (default 200)
  --rate N           with --live: events per second (default 20)
  --queue            instead: joins/s and position-update latency on one queue process, every buyer waiting with a socket
                     (starts its own system)
  --waiters N        with --queue: buyers who join and wait (default 2000)
  --active N         with --queue: the waiting room's activeBuyers (default 50)
  --moves N          with --queue: slots freed one at a time, each moving every waiting buyer up (default 5)
Without --url it starts the system as \`npm start\` does (API only, fresh temporary data) and stops it after.`;

const parse = (args: string[]) =>
  parseArgs({
    args,
    options: {
      url: { type: 'string' },
      'mongo-uri': { type: 'string', default: process.env.MONGO_URI },
      levels: { type: 'string', default: '0,5000,20000' },
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
      active: { type: 'string', default: '50' },
      moves: { type: 'string', default: '5' },
      help: { type: 'boolean', default: false },
    },
  }).values;

const count = (value: string, name: string, min = 1) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new Error(`--${name} must be a whole number of at least ${min}, got "${value}"`);
  return number;
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
    if (options.queue && options.live) throw new Error('--queue and --live are separate runs: pick one');
    const settings = {
      levels: options.levels
        .split(',')
        .map((level) => count(level.trim(), 'levels', 0))
        .sort((a, b) => a - b),
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
      activeBuyers: count(options.active, 'active'),
      moves: count(options.moves, 'moves'),
    };
    return { ...options, replicas, brokers, settings, liveSettings, queueSettings };
  });
  if (typeof parsed === 'number') return parsed;
  const { settings, liveSettings, queueSettings, replicas, brokers, ...options } = parsed;
  if (options.live) return benchLive(liveSettings);
  if (options.queue) return benchQueue(queueSettings);

  const placement: string[] = [];
  const shapes = brokers.flatMap((brokerCount) => replicas.map((replicaCount) => ({ brokerCount, replicaCount })));
  for (const [i, { brokerCount, replicaCount }] of shapes.entries()) {
    // The database server alone is measured once, with the first system.
    const rate = await benchSystem({
      url: options.url,
      mongoUri: options['mongo-uri'],
      replicas: replicaCount,
      brokers: brokerCount,
      settings,
      raw: i === 0,
    });
    const brokerLabel = brokers.length > 1 ? `, ${brokerCount} broker${brokerCount === 1 ? '' : 's'}` : '';
    placement.push(`${replicaCount} replica${replicaCount === 1 ? '' : 's'}${brokerLabel}: ${rate.toFixed(0)}/s`);
  }
  if (!options.url) console.log(`\nOrders placed/s at the first level, per processes of each service: ${placement.join(', ')}`);
  return 0;
};

interface SystemBench {
  url?: string;
  mongoUri?: string;
  replicas: number;
  brokers: number;
  settings: Omit<Parameters<typeof runBench>[0], 'url' | 'mongoUri' | 'progress'>;
  /** Also measure the database server alone. */
  raw: boolean;
}

/** One whole run against one system (started here unless `url` names one); the first level's orders placed/s. */
const benchSystem = async ({ url, mongoUri, replicas, brokers, settings, raw }: SystemBench): Promise<number> => {
  let system: System | undefined;
  const progress = (line: string) => console.log(`[bench] ${line}`);
  try {
    if (!url) {
      progress(`starting the system (API only, ${replicas} process${replicas === 1 ? '' : 'es'} of each service, ${brokers} broker(s))`);
      // Orders must outlive the run, or expiry would add its own load halfway through.
      system = await startSystem({ expirationWindowSeconds: 6 * 3600, replicas, brokers, progress: (line) => progress(`ready: ${line}`) });
    }
    const gateway = url ?? system!.url;
    const database = system?.env.MONGO_URI ?? mongoUri!;
    const rows = await runBench({ url: gateway, mongoUri: database, ...settings, progress });
    const shape = system ? `; ${replicas} process${replicas === 1 ? '' : 'es'} of each service, ${brokers} broker(s)` : '';
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
