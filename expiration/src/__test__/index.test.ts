import { spawn } from 'child_process';
import path from 'path';

const entry = path.join(__dirname, '../index.ts');

/** Runs the real entry point, as the container does, and collects its output. */
const runExpiration = (env: NodeJS.ProcessEnv) => {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { exited, output: () => output };
};

it('refuses to start without Redis and NATS, naming every missing variable', async () => {
  const expiration = runExpiration({});
  expect(await expiration.exited).toBe(1);
  expect(expiration.output()).toContain('Missing required environment variable(s): REDIS_HOST, NATS_URL, NATS_CLUSTER_ID');
});
