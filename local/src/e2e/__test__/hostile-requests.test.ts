import { serviceNames } from '../../system/system';
import { waitUntil } from '../api-client';
import { figure } from '../figures';
import { useSystem } from '../system-under-test';
import { RawRequest, sendRaw } from '@ticketing/common/testing';

// Request targets and headers no browser sends, over raw TCP to the gateway and to each service's own port,
// as plain requests and as WebSocket upgrades: each is answered 4xx and every process keeps serving.
const notices: string[] = [];
// Every answer's status, undefined for a connection closed without one.
const answered: (number | undefined)[] = [];

const sut = useSystem({ system: { notice: (name, line) => notices.push(`${name} ${line}`) } });

afterAll(() => {
  const within = (low: number, high: number) => answered.filter((status) => status !== undefined && status >= low && status < high).length;
  figure(
    `hostile requests: ${answered.length} sent to the gateway and ${serviceNames.length} services, ${within(400, 500)} answered 4xx, ${within(100, 400)} below 400 (odd targets, hostile headers), ${within(500, 600)} × 5xx, ${answered.filter((status) => status === undefined).length} closed unanswered`,
  );
});

// Targets that `new URL(target, base)` cannot parse, or that decode to nothing valid.
const hostileTargets = [
  '//[',
  '//[@/../api/live',
  '//[::1/api/live',
  'http://[::1',
  'http://[::1/api/live',
  'http://%zz/api/tickets',
  'http://a:b@[/api/queue/507f1f77bcf86cd799439011/ws',
  '/%',
  '/api/tickets/%E0%A4%A',
  '/api/live%',
  '*',
  `/${'a'.repeat(20_000)}`,
  '/api/\u0001live',
];

// Well-formed targets with headers a browser never sends.
const hostileHeaders: Record<string, string>[] = [
  { Host: '[' },
  { Host: '//[' },
  { Origin: 'http://[' },
  { Origin: '//[' },
  { Cookie: 'session=%%%; session' },
  { Cookie: `session=${Buffer.from('{"jwt":{"$gt":""}}').toString('base64')}` },
  { 'X-Forwarded-For': '[::1, ::' },
  { 'X-Forwarded-Host': '//[' },
  { 'X-Forwarded-Proto': 'http://[' },
  { 'Content-Length': '-1' },
  { 'Transfer-Encoding': 'chunked, identity' },
];

// Targets that parse but that no browser sends: answered as what they name, or 4xx, never 5xx.
const oddTargets = [
  'http://[::1]/api/tickets',
  'http://evil.example/api/users/currentuser',
  '//api/tickets',
  '/api/tickets/..%2f..%2fhealthz',
  '/api/tickets?%',
  '/api/live?x=%&y',
  '/api/queue/507f1f77bcf86cd799439011/ws#frag',
];

const wellFormedTargets = ['/api/live', '/api/queue/507f1f77bcf86cd799439011/ws', '/api/tickets'];

const requests: RawRequest[] = [
  ...[...hostileTargets, ...oddTargets].flatMap((target) => [{ target }, { target, upgrade: true }]),
  ...wellFormedTargets.flatMap((target) =>
    hostileHeaders.flatMap((headers) => [
      { target, headers },
      { target, headers, upgrade: true },
    ]),
  ),
];

const endpoints = () => [
  { name: 'gateway', url: sut.system.url },
  ...serviceNames.map((name) => ({ name, url: sut.system.services[name].url })),
];

const answeredStatus = async (url: string, request: RawRequest) => {
  const { status } = await sendRaw(url, request);
  answered.push(status);
  return status;
};

it.each(['gateway', ...serviceNames])('%s answers every hostile target with a 4xx and every hostile header below 500', async (name) => {
  const { url } = endpoints().find((endpoint) => endpoint.name === name)!;
  const wrong: { request: RawRequest; status?: number }[] = [];
  for (const request of requests) {
    const status = await answeredStatus(url, request);
    // An odd target or a hostile header may still make a valid request (a 200, a 101), never a 5xx.
    const lowest = hostileTargets.includes(request.target) ? 400 : 100;
    if (status === undefined || status < lowest || status >= 500) wrong.push({ request, status });
  }
  expect(wrong).toEqual([]);
});

it('a CONNECT is closed or refused, never answered 5xx', async () => {
  for (const { url } of endpoints()) {
    const connect = await sendRaw(url, { method: 'CONNECT', target: '[::1:443' });
    const connectAuthority = await sendRaw(url, { method: 'CONNECT', target: '127.0.0.1:1' });
    // Node closes a CONNECT that no 'connect' listener takes: a clean close, or a 4xx.
    for (const answer of [connect, connectAuthority]) expect(answer.closed || (answer.status ?? 0) < 500).toBe(true);
  }
});

it('afterwards every process still answers and the API through the gateway still works', async () => {
  for (const name of serviceNames) {
    const res = await fetch(`${sut.system.services[name].url}/livez`);
    expect({ name, status: res.status }).toEqual({ name, status: 200 });
    expect({ name, restarts: sut.system.services[name].restarts }).toEqual({ name, restarts: 0 });
  }
  // The supervisor would bring a crashed gateway back: it must not have needed to.
  expect(sut.system.gateway.restarts).toBe(0);
  const user = await sut.signUp('after-hostile');
  expect((await user.get('/api/users/currentuser')).status).toBe(200);
  expect((await user.post('/api/tickets', { title: 'Still here', price: 10 })).status).toBe(201);
});

const answersApi = async () => {
  try {
    return (await fetch(`${sut.system.url}/api/users/currentuser`)).status === 200;
  } catch {
    return false;
  }
};

it('the gateway, killed, is restarted by the supervisor and no service goes with it', async () => {
  const servicePids = serviceNames.map((name) => sut.system.services[name].pid);
  process.kill(sut.system.gateway.pid!, 'SIGKILL');
  await waitUntil(async () => sut.system.gateway.restarts === 1 && (await answersApi()), 15_000, 'the gateway back');
  expect(serviceNames.map((name) => sut.system.services[name].pid)).toEqual(servicePids);
  expect(notices).toContain('gateway exited (SIGKILL); restarting in 1 s');
});

it('a service that dies is restarted, the supervisor says so, and the rest keeps serving', async () => {
  const { tickets } = sut.system.services;
  process.kill(tickets.pid!, 'SIGKILL');
  await waitUntil(
    async () => tickets.restarts === 1 && (await fetch(`${tickets.url}/livez`).catch(() => undefined))?.status === 200,
    30_000,
    'tickets back',
  );
  expect(notices).toContain('tickets exited (SIGKILL); restarting in 1 s');
  expect(await answersApi()).toBe(true);
});
