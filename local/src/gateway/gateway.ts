import http from 'http';
import net from 'net';
import { Readable, type Duplex } from 'stream';
import { refuseUpgrade, requestPath } from '@ticketing/common';
import { createProxyServer } from 'http-proxy-3';
import { RoundRobin, wasRefused } from './balancer';
import { IngressRoute, matchRoute } from './ingress-routes';

export interface GatewayOptions {
  host?: string;
  port: number;
  routes: IngressRoute[];
  /** Where the replicas of each Kubernetes Service of the Ingress run on this machine, e.g. { 'auth-srv': ['http://127.0.0.1:4001'] }. */
  upstreams: Record<string, string | string[]>;
}

/** Bodies are held whole so that a request a replica refused can go to the next; the services take 16 KB. */
const MAX_BODY_BYTES = 1024 * 1024;

const sendError = (res: http.ServerResponse, status: number, message: string) => {
  if (res.headersSent) return res.end();
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ message }] }));
};

class BodyTooLargeError extends Error {}

const readBody = (req: http.IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // The rest is read and dropped, so that the client gets the 413 rather than a reset.
      if (size > MAX_BODY_BYTES) return reject(new BodyTooLargeError());
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });

/** The proxy appends the client's address to X-Forwarded-*: each try starts again from what the client sent. */
const forwardedHeaders = (req: http.IncomingMessage) => {
  const sent = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name.startsWith('x-forwarded-')));
  return () => {
    for (const name of Object.keys(req.headers)) if (name.startsWith('x-forwarded-')) delete req.headers[name];
    Object.assign(req.headers, sent);
  };
};

const accepts = (target: string): Promise<boolean> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(target);
    const probe = net.connect({ host: hostname, port: Number(port) });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (err) => resolve(!wasRefused(err)));
  });

/** The first of `targets` that accepts a connection. */
const firstAccepting = async (targets: string[]): Promise<string | undefined> => {
  for (const target of targets) if (await accepts(target)) return target;
  return undefined;
};

/**
 * What ingress-nginx does in the cluster: one origin, requests routed by path to the services, each
 * request and WebSocket upgrade (GET /api/live) to the service's next replica in turn, and a replica
 * that refuses the connection skipped for the next (nginx's `proxy_next_upstream error`).
 */
export const startGateway = ({ host = '127.0.0.1', port, routes, upstreams }: GatewayOptions): Promise<http.Server> => {
  const balancers = new Map(Object.entries(upstreams).map(([service, targets]) => [service, new RoundRobin([targets].flat())]));
  const routeOf = (urlPath: string) => {
    const route = matchRoute(routes, urlPath);
    return route && { service: route.service, balancer: balancers.get(route.service) };
  };

  const proxy = createProxyServer({ xfwd: true });
  // The proxy re-emits a proxied WebSocket's client-side errors (a browser closing the tab resets it) on
  // itself, and without a listener of ours it throws them: the socket is gone, nothing else to do.
  proxy.on('error', () => {});

  const server = http.createServer((req, res) => {
    const urlPath = requestPath(req);
    if (urlPath === undefined) return sendError(res, 400, 'Malformed URL');
    const routed = routeOf(urlPath);
    if (!routed?.balancer) return sendError(res, 404, 'Not found');
    const { service, balancer } = routed;
    const restoreHeaders = forwardedHeaders(req);
    const tryNext = (targets: string[], body: Buffer) => {
      const [target, ...rest] = targets;
      restoreHeaders();
      proxy.web(req, res, { target, buffer: Readable.from([body]) }, (err) => {
        if (wasRefused(err) && rest.length > 0) return tryNext(rest, body);
        sendError(res, 502, `${service} is unavailable`);
      });
    };
    readBody(req).then(
      (body) => tryNext(balancer.turn(), body),
      (err) => {
        res.setHeader('Connection', 'close');
        if (err instanceof BodyTooLargeError) sendError(res, 413, 'Request body too large');
        else sendError(res, 400, 'Bad request');
      },
    );
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // A refused upgrade's socket has no other listener: a reset would be an uncaught exception.
    socket.on('error', () => socket.destroy());
    const urlPath = requestPath(req);
    if (urlPath === undefined) return refuseUpgrade(socket, 400, 'Bad Request');
    const routed = routeOf(urlPath);
    if (!routed?.balancer) return refuseUpgrade(socket, 404, 'Not Found');
    // The proxy closes the client's socket when its upgrade fails: the replica is chosen by connecting first.
    void firstAccepting(routed.balancer.turn()).then((target) => {
      if (!target) return refuseUpgrade(socket, 502, 'Bad Gateway');
      proxy.ws(req, socket, head, { target }, () => refuseUpgrade(socket, 502, 'Bad Gateway'));
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
};
