import { Cluster, containersOf, describeWorkload, findService, selectedBy } from './kube';
import { exportedFunction, loadTsModule } from './ts-module';
import { ingressRoutes } from './wiring';

export interface ServerRoute {
  prefix: string;
  base: string;
}

/** The client's own route table code (client/lib/server-routes.ts), evaluated. */
export interface ClientRouting {
  parse(text: string | undefined): ServerRoute[];
  resolve(routes: ServerRoute[], fallback: string, path: string): string;
}

export const clientRoutingFile = 'client/lib/server-routes.ts';

export const loadClientRouting = (text?: string): ClientRouting => {
  const loaded = loadTsModule(clientRoutingFile, text);
  const parse = exportedFunction(loaded, 'parseServerRoutes', clientRoutingFile) as ClientRouting['parse'];
  const resolve = exportedFunction(loaded, 'resolveServerUrl', clientRoutingFile) as ClientRouting['resolve'];
  return { parse, resolve };
};

const unrouted = 'unrouted:';

/**
 * The client's server-side requests reach each API path of the Ingress at the
 * Service and port the Ingress sends it to, by SERVER_API_ROUTES as the client
 * reads it: through the ingress they would be plain http to an https-only host,
 * and be redirected. The client is what the Ingress serves for the paths no API claims.
 */
export const serverRouteProblems = (cluster: Cluster, routing: ClientRouting): string[] => {
  const routes = ingressRoutes(cluster);
  const clientService = routes.find((route) => route.path === '/')?.service;
  const service = clientService === undefined ? undefined : findService(cluster, clientService);
  const clients = service ? selectedBy(service, cluster) : [];
  if (clients.length === 0) return ['the Ingress sends / to no Deployment, so there is no client to check'];
  const apiRoutes = routes.filter((route) => route.service !== clientService);
  return clients.flatMap((deployment) =>
    containersOf(deployment).flatMap((container) => {
      const label = `${describeWorkload(deployment)}`;
      let table: ServerRoute[];
      try {
        table = routing.parse(container.env?.find((variable) => variable.name === 'SERVER_API_ROUTES')?.value);
      } catch (err) {
        return [`${label}: ${(err as Error).message}`];
      }
      const missing = apiRoutes.flatMap((route) => {
        const sample = `${route.path.replace(/\/+$/, '')}/some/id?x=1`;
        const expected = `http://${route.service}:${route.port}${sample}`;
        const actual = routing.resolve(table, unrouted, sample);
        if (actual === expected) return [];
        const where = actual.startsWith(unrouted) ? 'SERVER_API_URL, through the ingress' : actual;
        return [`${label}: a server-side GET ${sample} goes to ${where}, not ${expected}`];
      });
      const extra = table
        .filter(({ prefix }) => !apiRoutes.some((route) => route.path.replace(/\/+$/, '') === prefix))
        .map(({ prefix }) => `${label}: SERVER_API_ROUTES routes ${prefix}, which is no API path of the Ingress`);
      return [...missing, ...extra];
    }),
  );
};
