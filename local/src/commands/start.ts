import fs from 'fs';
import path from 'path';
import { parseArgs } from 'util';
import { eventBusKindOf, handleProcessFailures } from '@ticketing/common';
import { repoRoot } from '../infra/tools';
import { writeBusEnv } from './deadletters';
import { parseOptions } from './options';
import { seedDemoData } from '../system/seed';
import { startSystem } from '../system/system';

const usage = `usage: npm start -- [options]
  --port N        gateway port (default 8080, or $PORT)
  --events        print every event that crosses the event bus
  --event-bus B   nats-streaming (default, or $EVENT_BUS) or jetstream: the event transport
  --brokers N     nats-servers the event bus runs as: 1 (default), or 3 clustered with --event-bus jetstream
  --seed          create demo users, tickets and sales
  --expiry S      seconds an order holds its ticket (default 900)
  --replicas N    processes of each service behind the gateway's round-robin (default 1)
  --gateway-processes N  processes of the gateway sharing its port (default 1; a process holds 20,000 files, two a socket)
  --fresh         start with empty databases (wipes .data/)
  --no-client     run the API only (skips the Next.js build)
  --quiet         hide the services' own output
  --observe       also start Prometheus and a trace store with a web UI (Zipkin), wired to every service (docs/operations.md)`;

const parse = (args: string[]) =>
  parseArgs({
    args,
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      events: { type: 'boolean', default: false },
      'event-bus': { type: 'string', default: process.env.EVENT_BUS || 'nats-streaming' },
      seed: { type: 'boolean', default: false },
      expiry: { type: 'string', default: '900' },
      replicas: { type: 'string', default: '1' },
      brokers: { type: 'string', default: '1' },
      'gateway-processes': { type: 'string', default: '1' },
      fresh: { type: 'boolean', default: false },
      'no-client': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      observe: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }).values;

const positiveInt = (value: string, name: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive whole number, got "${value}"`);
  return number;
};

/** `npm start`: the whole system on this machine, until Ctrl-C. */
export const start = async (args: string[]): Promise<number> => {
  const options = parseOptions(usage, () => parse(args));
  if (typeof options === 'number') return options;
  // This process only supervises: the gateway and the services are processes of their own.
  handleProcessFailures('ticketing', { log: (line) => console.error(line) });
  const port = positiveInt(options.port, 'port');
  const expirationWindowSeconds = positiveInt(options.expiry, 'expiry');
  const replicas = positiveInt(options.replicas, 'replicas');
  const gatewayProcesses = positiveInt(options['gateway-processes'], 'gateway-processes');
  const eventBus = eventBusKindOf({ EVENT_BUS: options['event-bus'] });

  const dataDir = path.join(repoRoot, '.data');
  if (options.fresh) fs.rmSync(dataDir, { recursive: true, force: true });

  const startedAt = Date.now();
  const system = await startSystem({
    port,
    dataDir,
    expirationWindowSeconds,
    replicas,
    gatewayProcesses,
    eventBus,
    brokers: positiveInt(options.brokers, 'brokers'),
    client: !options['no-client'],
    observe: options.observe,
    prettyLogs: true,
    progress: (line) => console.log(`[ready] ${line}`),
    log: options.quiet ? undefined : (name, line) => console.log(`  ${name.padEnd(10)} | ${line}`),
    // Shown even with --quiet: a process that died must not go unnoticed.
    notice: (name, line) => console.error(`[supervisor] ${name} ${line}`),
    onEvent: options.events ? (subject, data) => console.log(`[event] ${subject} ${JSON.stringify(data)}`) : undefined,
    env: process.env,
  });
  if (system.metricsUrl) console.log(`[ready] metrics ${system.metricsUrl}`);

  // For `npm run deadletters`, which reads the dead letters of this system's bus.
  writeBusEnv(system.env);
  if (options.seed) for (const line of await seedDemoData(system.url)) console.log(`[seed] ${line}`);

  console.log(`\nticketing is ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: open ${system.url}`);
  console.log('Ctrl-C stops every process this command started.\n');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('\n[ticketing] stopping');
  await system.stop();
  return 0;
};
