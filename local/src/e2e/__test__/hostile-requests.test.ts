import { serviceNames, startSystem, System } from '../../system/system';
import { ApiClient, uniqueEmail } from '../api-client';
import { RawRequest, sendRaw } from '../raw-request';

// Request targets and headers no browser sends, over raw TCP to the gateway and to each service's own port,
// as plain requests and as WebSocket upgrades: each is answered 4xx and every process keeps serving.
let system: System;
const answered: number[] = [];
const figure = (line: string) => process.stdout.write(`[figure] ${line}\n`);

beforeAll(async () => {
  system = await startSystem({ env: {} });
}, 120_000);

afterAll(async () => {
  figure(`hostile requests: ${answered.length} sent, ${answered.filter((status) => status >= 400 && status < 500).length} answered 4xx`);
  await system?.stop();
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

const wellFormedTargets = ['/api/live', '/api/queue/507f1f77bcf86cd799439011/ws', '/api/tickets'];

const requests: RawRequest[] = [
  ...hostileTargets.flatMap((target) => [{ target }, { target, upgrade: true }]),
  ...wellFormedTargets.flatMap((target) =>
    hostileHeaders.flatMap((headers) => [
      { target, headers },
      { target, headers, upgrade: true },
    ]),
  ),
];

const endpoints = () => [{ name: 'gateway', url: system.url }, ...serviceNames.map((name) => ({ name, url: system.services[name].url }))];

const answeredStatus = async (url: string, request: RawRequest) => {
  const answer = await sendRaw(url, request);
  if (answer.status !== undefined) answered.push(answer.status);
  return answer.status;
};

it.each(['gateway', ...serviceNames])('%s answers every hostile target with a 4xx and every hostile header below 500', async (name) => {
  const { url } = endpoints().find((endpoint) => endpoint.name === name)!;
  const wrong: { request: RawRequest; status?: number }[] = [];
  for (const request of requests) {
    const status = await answeredStatus(url, request);
    // A hostile header on a well-formed target may still make a valid request (a 200, a 101), never a 5xx.
    const lowest = hostileTargets.includes(request.target) ? 400 : 100;
    if (status === undefined || status < lowest || status >= 500) wrong.push({ request, status });
  }
  expect(wrong).toEqual([]);
});

it('CONNECT and other methods without a route are refused and the servers keep serving', async () => {
  for (const { url } of endpoints()) {
    const connect = await sendRaw(url, { method: 'CONNECT', target: '[::1:443' });
    const connectAuthority = await sendRaw(url, { method: 'CONNECT', target: '127.0.0.1:1' });
    // Node closes a CONNECT that no 'connect' listener takes: a clean close, or a 4xx.
    for (const answer of [connect, connectAuthority]) expect(answer.closed || (answer.status ?? 0) < 500).toBe(true);
  }
});

it('afterwards every process still answers and the API through the gateway still works', async () => {
  for (const name of serviceNames) {
    const res = await fetch(`${system.services[name].url}/livez`);
    expect({ name, status: res.status }).toEqual({ name, status: 200 });
    expect({ name, restarts: system.services[name].restarts }).toEqual({ name, restarts: 0 });
  }
  const user = await ApiClient.signUp(system.url, uniqueEmail('after-hostile'));
  expect((await user.get('/api/users/currentuser')).status).toBe(200);
  expect((await user.post('/api/tickets', { title: 'Still here', price: 10 })).status).toBe(201);
});
