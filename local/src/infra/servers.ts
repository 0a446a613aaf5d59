import fs from 'fs';
import os from 'os';
import path from 'path';
import { ensureTool } from './tools';
import { freePort, ManagedProcess, startProcess } from './process';

export interface Server extends ManagedProcess {
  /** Environment variables that point a client at this server. */
  env: Record<string, string>;
}

export interface ServerOptions {
  /** Directory for data that should outlive the process; a temporary one by default. */
  dataDir?: string;
  port?: number;
  log?: (line: string) => void;
}

const dataDirFor = (name: string, dataDir?: string) => {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `ticketing-${name}-`));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

const withCleanup = (server: Server, dir: string, temporary: boolean): Server => ({
  ...server,
  stop: async () => {
    await server.stop();
    if (temporary) fs.rmSync(dir, { recursive: true, force: true });
  },
});

/** FerretDB with its SQLite backend: a MongoDB-wire server without a mongod binary. */
export const startFerretDB = async ({ dataDir, port, log }: ServerOptions = {}): Promise<Server> => {
  const binary = ensureTool('ferretdb');
  const dir = dataDirFor('ferretdb', dataDir);
  const listen = port ?? (await freePort());
  const debugPort = await freePort();
  const proc = await startProcess(
    'ferretdb',
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${listen}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      '--telemetry=disable',
      '--log-level=error',
    ],
    { port: listen, onOutput: log },
  );
  return withCleanup({ ...proc, env: { MONGO_URI: `mongodb://127.0.0.1:${listen}` } }, dir, !dataDir);
};

export const NATS_CLUSTER_ID = 'ticketing';

/** nats-streaming-server with a file store, so a restart keeps every channel. */
export const startNatsStreaming = async ({ dataDir, port, log }: ServerOptions = {}): Promise<Server> => {
  const binary = ensureTool('nats-streaming-server');
  const dir = dataDirFor('nats', dataDir);
  const listen = port ?? (await freePort());
  const proc = await startProcess(
    'nats-streaming-server',
    binary,
    ['-a', '127.0.0.1', '-p', String(listen), '-cid', NATS_CLUSTER_ID, '-store', 'file', '-dir', dir,
      '-hbi', '2s', '-hbt', '2s', '-hbf', '3'],
    { port: listen, onOutput: log },
  );
  return withCleanup(
    { ...proc, env: { NATS_URL: `nats://127.0.0.1:${listen}`, NATS_CLUSTER_ID } },
    dir,
    !dataDir,
  );
};

/** Debian's redis-server, without persistence: bull jobs live as long as the server. */
export const startRedis = async ({ dataDir, port, log }: ServerOptions = {}): Promise<Server> => {
  const binary = ensureTool('redis');
  const dir = dataDirFor('redis', dataDir);
  const listen = port ?? (await freePort());
  const proc = await startProcess(
    'redis-server',
    binary,
    ['--bind', '127.0.0.1', '--port', String(listen), '--dir', dir, '--save', '', '--appendonly', 'no'],
    { port: listen, onOutput: log },
  );
  return withCleanup(
    { ...proc, env: { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(listen) } },
    dir,
    !dataDir,
  );
};

/** stripe-mock: Stripe's own API mock, which validates each request against the real API spec. */
export const startStripeMock = async ({ port, log }: ServerOptions = {}): Promise<Server> => {
  const binary = ensureTool('stripe-mock');
  const listen = port ?? (await freePort());
  const proc = await startProcess('stripe-mock', binary, ['-http-addr', `127.0.0.1:${listen}`], {
    port: listen,
    onOutput: log,
  });
  return { ...proc, env: { STRIPE_API_URL: `http://127.0.0.1:${listen}` } };
};
