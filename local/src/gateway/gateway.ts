import http from 'http';
import type { Duplex } from 'stream';
import { createProxyServer } from 'http-proxy-3';
import { IngressRoute, matchRoute } from './ingress-routes';

export interface GatewayOptions {
  host?: string;
  port: number;
  routes: IngressRoute[];
  /** Where each Kubernetes Service of the Ingress runs on this machine, e.g. { 'auth-srv': 'http://127.0.0.1:4001' }. */
  upstreams: Record<string, string>;
}

const sendError = (res: http.ServerResponse, status: number, message: string) => {
  if (res.headersSent) return res.end();
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ message }] }));
};

const refuseUpgrade = (socket: Duplex, status: number, reason: string) => {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

const targetOf = (req: http.IncomingMessage, routes: IngressRoute[], upstreams: Record<string, string>) => {
  const urlPath = new URL(req.url ?? '/', 'http://gateway').pathname;
  const route = matchRoute(routes, urlPath);
  return route && { service: route.service, target: upstreams[route.service] };
};

/**
 * What ingress-nginx does in the cluster: one origin, requests routed by path to the services, and
 * WebSocket upgrades (GET /api/live) proxied to the routed service as they are.
 */
export const startGateway = ({ host = '127.0.0.1', port, routes, upstreams }: GatewayOptions): Promise<http.Server> => {
  const proxy = createProxyServer({ xfwd: true });
  // The proxy re-emits a proxied WebSocket's client-side errors (a browser closing the tab resets it) on
  // itself, and without a listener of ours it throws them: the socket is gone, nothing else to do.
  proxy.on('error', () => {});
  const server = http.createServer((req, res) => {
    const routed = targetOf(req, routes, upstreams);
    if (!routed?.target) return sendError(res, 404, 'Not found');
    proxy.web(req, res, { target: routed.target }, () => sendError(res, 502, `${routed.service} is unavailable`));
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // A refused upgrade's socket has no other listener: a reset would be an uncaught exception.
    socket.on('error', () => socket.destroy());
    const routed = targetOf(req, routes, upstreams);
    if (!routed?.target) return refuseUpgrade(socket, 404, 'Not Found');
    proxy.ws(req, socket, head, { target: routed.target }, () => refuseUpgrade(socket, 502, 'Bad Gateway'));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
};
