import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import WebSocket, { WebSocketServer } from 'ws';
import { freePort } from '../../infra/process';
import { sendRaw, waitUntil } from '@ticketing/common/testing';
import { startGateway } from '../gateway';
import { IngressRoute, ingressManifest, matchRoute, readIngressRoutes } from '../ingress-routes';

const ingress = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: ingress-service }
spec:
  ingressClassName: nginx
  rules:
    - host: ticketing.dev
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: client-srv, port: { number: 3000 } } } }
          - { path: /api/users, pathType: Prefix, backend: { service: { name: auth-srv, port: { number: 3000 } } } }
          - { path: /healthz, pathType: Exact, backend: { service: { name: auth-srv, port: { number: 3000 } } } }
`;

const writeManifest = (text: string) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ingress-')), 'ingress.yaml');
  fs.writeFileSync(file, `---\napiVersion: v1\nkind: Service\nmetadata: { name: other }\n---${text}`);
  return file;
};

describe('reading the Ingress', () => {
  const routes = readIngressRoutes(writeManifest(ingress));

  it('finds the Ingress among other documents, most specific path first', () => {
    expect(routes.map((route) => route.path)).toEqual(['/api/users', '/healthz', '/']);
  });

  it.each([
    ['/api/users/signin', 'auth-srv'],
    ['/api/users', 'auth-srv'],
    ['/api/usersx', 'client-srv'],
    ['/healthz', 'auth-srv'],
    ['/healthz/more', 'client-srv'],
    ['/tickets/new', 'client-srv'],
  ])('routes %s to %s as ingress-nginx would', (urlPath, service) => {
    expect(matchRoute(routes, urlPath)?.service).toBe(service);
  });

  it('refuses a manifest without an Ingress', () => {
    expect(() => readIngressRoutes(writeManifest('\napiVersion: v1\nkind: ConfigMap\n'))).toThrow(/holds no Ingress/);
  });

  it('reads the real manifest: every API prefix goes to its service, the rest to the client', () => {
    const real = readIngressRoutes(ingressManifest);
    expect(matchRoute(real, '/api/users/currentuser')?.service).toBe('auth-srv');
    expect(matchRoute(real, '/api/tickets/123')?.service).toBe('tickets-srv');
    expect(matchRoute(real, '/api/orders')?.service).toBe('orders-srv');
    expect(matchRoute(real, '/api/payments')?.service).toBe('payments-srv');
    expect(matchRoute(real, '/api/live')?.service).toBe('live-srv');
    expect(matchRoute(real, '/orders/abc')?.service).toBe('client-srv');
  });
});

describe('the gateway', () => {
  const routes: IngressRoute[] = [
    { path: '/api/users', pathType: 'Prefix', service: 'auth-srv', port: 3000 },
    { path: '/api/tickets', pathType: 'Prefix', service: 'tickets-srv', port: 3000 },
  ];
  let upstream: http.Server;
  let sockets: WebSocketServer;
  let gateway: http.Server;
  let url: string;

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      res.setHeader('Set-Cookie', 'session=abc; path=/; httponly');
      res.end(JSON.stringify({ method: req.method, url: req.url, forwardedFor: req.headers['x-forwarded-for'] ?? null }));
    });
    // Each upgraded socket says what the request carried, then echoes what it is sent.
    sockets = new WebSocketServer({ server: upstream });
    sockets.on('connection', (socket, req) => {
      socket.send(JSON.stringify({ url: req.url, cookie: req.headers.cookie, forwardedFor: req.headers['x-forwarded-for'] }));
      socket.on('message', (data) => socket.send((data as Buffer).toString()));
    });
    const upstreamPort = await freePort();
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, '127.0.0.1', resolve));
    const port = await freePort();
    const deadPort = await freePort();
    gateway = await startGateway({
      port,
      routes,
      upstreams: { 'auth-srv': `http://127.0.0.1:${upstreamPort}`, 'tickets-srv': `http://127.0.0.1:${deadPort}` },
    });
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(() => {
    gateway.close();
    sockets.close();
    upstream.close();
  });

  it('forwards method, path, query and cookies to the matching service', async () => {
    const res = await fetch(`${url}/api/users/currentuser?x=1`, { method: 'POST' });
    expect(await res.json()).toEqual({ method: 'POST', url: '/api/users/currentuser?x=1', forwardedFor: '127.0.0.1' });
    expect(res.headers.get('set-cookie')).toBe('session=abc; path=/; httponly');
  });

  it('answers 404 in the error shape where no route matches', async () => {
    const res = await fetch(`${url}/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errors: [{ message: 'Not found' }] });
  });

  it('answers 502 in the error shape when the service is down', async () => {
    const res = await fetch(`${url}/api/tickets`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ errors: [{ message: 'tickets-srv is unavailable' }] });
  });

  it('proxies a WebSocket upgrade to the routed service, cookies and client address included, both ways', async () => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/api/users/live?x=1`, { headers: { Cookie: 'session=abc' } });
    const messages: string[] = [];
    socket.on('message', (data) => messages.push((data as Buffer).toString()));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send('ping through the gateway');
    await waitUntil(() => messages.length === 2, 5_000, 'the greeting and the echo');
    expect(JSON.parse(messages[0])).toEqual({ url: '/api/users/live?x=1', cookie: 'session=abc', forwardedFor: '127.0.0.1' });
    expect(messages[1]).toBe('ping through the gateway');
    socket.close();
  });

  it.each([
    ['/nowhere', 404],
    ['/api/tickets/live', 502],
  ])('refuses an upgrade of %s with %i', async (urlPath, status) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}${urlPath}`);
    const refused = await new Promise<number>((resolve) => socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(refused).toBe(status);
  });

  it.each(['//[', '//[@/../api/users/live', 'http://[::1/api/users'])(
    'answers 400 to %s, a target that does not parse, as a request and as an upgrade, and keeps proxying',
    async (target) => {
      expect((await sendRaw(url, { target })).status).toBe(400);
      expect((await sendRaw(url, { target, upgrade: true })).status).toBe(400);
      expect((await fetch(`${url}/api/users/currentuser`)).status).toBe(200);
    },
  );

  it('survives a client that resets its proxied WebSocket (a closed tab), and keeps proxying', async () => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/api/users/live`);
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('message', resolve));
    (socket as unknown as { _socket: { resetAndDestroy(): void } })._socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const res = await fetch(`${url}/api/users/currentuser`);
    expect(res.status).toBe(200);
  });
});

describe('the gateway in front of replicas', () => {
  const routes: IngressRoute[] = [{ path: '/api/orders', pathType: 'Prefix', service: 'orders-srv', port: 3000 }];
  const replicas: { server: http.Server; sockets: WebSocketServer }[] = [];
  let gateway: http.Server;
  let url: string;

  /** A replica that names itself in each answer, to HTTP and to WebSocket alike. */
  const startReplica = async (name: string) => {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.end(JSON.stringify({ replica: name, body, forwardedFor: req.headers['x-forwarded-for'] })));
    });
    const sockets = new WebSocketServer({ server });
    sockets.on('connection', (socket) => socket.send(name));
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    replicas.push({ server, sockets });
    return `http://127.0.0.1:${port}`;
  };

  beforeAll(async () => {
    const live = [await startReplica('a'), await startReplica('b')];
    const dead = `http://127.0.0.1:${await freePort()}`;
    const port = await freePort();
    gateway = await startGateway({ port, routes, upstreams: { 'orders-srv': [live[0], dead, live[1]] } });
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(() => {
    gateway.close();
    for (const { server, sockets } of replicas) {
      sockets.close();
      server.close();
    }
  });

  const post = async (body: string) => {
    const res = await fetch(`${url}/api/orders`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(200);
    return (await res.json()) as { replica: string; body: string; forwardedFor: string };
  };

  it('takes the replicas in turn, and sends the request a down replica refused, body and all, to the next', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await post(`{"n":${i}}`));
    // a, (dead → b), b, a, (dead → b), b: the dead replica's turns go to the one after it.
    expect(answers.map((answer) => answer.replica)).toEqual(['a', 'b', 'b', 'a', 'b', 'b']);
    expect(answers.map((answer) => answer.body)).toEqual([0, 1, 2, 3, 4, 5].map((n) => `{"n":${n}}`));
    // A retried request carries the client's address once, not once per try.
    expect(answers.every((answer) => answer.forwardedFor === '127.0.0.1')).toBe(true);
  });

  it('balances WebSocket upgrades the same way, skipping the down replica', async () => {
    // Six requests before it, or none (-t): either way the turn starts again at the first replica.
    const greetings: string[] = [];
    for (let i = 0; i < 4; i++) {
      const socket = new WebSocket(`${url.replace('http', 'ws')}/api/orders/live`);
      greetings.push(await new Promise<string>((resolve) => socket.once('message', (data) => resolve((data as Buffer).toString()))));
      socket.close();
    }
    expect(greetings).toEqual(['a', 'b', 'b', 'a']);
  });

  it('answers 413 for a body larger than it holds', async () => {
    const res = await fetch(`${url}/api/orders`, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
  });
});
