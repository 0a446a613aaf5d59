import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import http from 'http';
import path from 'path';
import { waitUntil } from '@ticketing/common/testing';
import { freePort } from '../../infra/process';
import { repoRoot } from '../../infra/tools';

// The gateway as GATEWAY_PROCESSES processes sharing one port (node's cluster), as `npm start --
// --gateway-processes` and the rush bench run it: a process may hold 20,000 open files here.
const WORKERS = 3;

let upstream: http.Server;
let gateway: ChildProcess;
let port: number;

const workersOf = (pid: number) => fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);

const get = async (urlPath: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`);
  return { status: res.status, body: await res.text() };
};

beforeAll(async () => {
  upstream = http.createServer((req, res) => res.end(`auth saw ${req.url}`));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port: upstreamPort } = upstream.address() as { port: number };
  port = await freePort();
  gateway = spawn(process.execPath, [path.join(repoRoot, 'local/build/gateway/main.js')], {
    env: {
      PATH: process.env.PATH,
      GATEWAY_PORT: String(port),
      GATEWAY_PROCESSES: String(WORKERS),
      GATEWAY_UPSTREAMS: JSON.stringify({ 'auth-srv': [`http://127.0.0.1:${upstreamPort}`] }),
    },
    stdio: 'ignore',
  });
  await waitUntil(
    async () => workersOf(gateway.pid!).length === WORKERS && (await get('/api/users/x').catch(() => undefined))?.status === 200,
    // Starting node processes on a busy machine takes seconds each.
    60_000,
    'the gateway workers',
  );
}, 90_000);

afterAll(async () => {
  gateway?.kill('SIGKILL');
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

it('serves one port from several processes, replaces a worker that dies, and takes its workers with it when stopped', async () => {
  expect((await get('/api/users/currentuser')).body).toBe('auth saw /api/users/currentuser');
  const [killed, ...others] = workersOf(gateway.pid!);
  process.kill(killed, 'SIGKILL');
  await waitUntil(() => workersOf(gateway.pid!).length === WORKERS && !workersOf(gateway.pid!).includes(killed), 60_000, 'a new worker');
  expect(workersOf(gateway.pid!)).toEqual(expect.arrayContaining(others));
  const answers = await Promise.all(Array.from({ length: 20 }, () => get('/api/users/currentuser')));
  expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));

  const workers = workersOf(gateway.pid!);
  const exited = new Promise((resolve) => gateway.once('exit', resolve));
  gateway.kill('SIGTERM');
  await exited;
  await waitUntil(() => workers.every((pid) => !fs.existsSync(`/proc/${pid}`)), 30_000, 'the workers to exit');
}, 150_000);
