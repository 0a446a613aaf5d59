import fs from 'fs';
import path from 'path';
import { connectEventBus, eventBusEnvOf, runDeadLettersCommand } from '@ticketing/common';
import { repoRoot } from '../infra/tools';

const usage = `usage: npm run deadletters -- list | replay <id>
  list          every message a listener parked on the deadletter subject: its id, when, where, why, and the message
  replay <id>   publishes that message again, as it was, on its own subject (every consumer is idempotent)
It talks to the event bus of the running \`npm start\` (.data/event-bus.json), or to EVENT_BUS, NATS_URL
and NATS_CLUSTER_ID when NATS_URL is set.`;

/** Where `npm start` leaves how to reach its event bus, for this command. */
export const busEnvFile = path.join(repoRoot, '.data', 'event-bus.json');

/** Writes the event bus variables of `env` (EVENT_BUS and the transport's) to `file`. */
export const writeBusEnv = (env: Record<string, string>, file = busEnvFile): void => {
  const names = ['EVENT_BUS', ...eventBusEnvOf(env)];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(Object.fromEntries(names.map((name) => [name, env[name]])), null, 2)}\n`);
};

const busEnv = (file: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  if (env.NATS_URL) return env;
  if (!fs.existsSync(file)) throw new Error(`no running \`npm start\` found (${path.relative(repoRoot, file)}); start it, or set NATS_URL`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as NodeJS.ProcessEnv;
};

/** `npm run deadletters -- list|replay <id>`: the code of the cluster's Job (common/src/bin/deadletters.ts), on the local system's bus. */
export const deadletters = async (args: string[], { file = busEnvFile, env = process.env } = {}): Promise<number> => {
  if (args.length === 0 || args.includes('--help')) {
    console.log(usage);
    return args.length === 0 ? 2 : 0;
  }
  const bus = await connectEventBus('deadletters', busEnv(file, env));
  try {
    return await runDeadLettersCommand(bus, args);
  } finally {
    await bus.close();
  }
};
