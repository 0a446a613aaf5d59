import http from 'http';
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

/** What ingress-nginx does in the cluster: one origin, requests routed by path to the services. */
export const startGateway = ({ host = '127.0.0.1', port, routes, upstreams }: GatewayOptions): Promise<http.Server> => {
  const proxy = createProxyServer({ xfwd: true });
  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://gateway').pathname;
    const route = matchRoute(routes, urlPath);
    const target = route && upstreams[route.service];
    if (!target) return sendError(res, 404, 'Not found');
    proxy.web(req, res, { target }, () => sendError(res, 502, `${route.service} is unavailable`));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
};
