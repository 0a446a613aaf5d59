import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { repoRoot } from '../infra/tools';

export const ingressManifest = path.join(repoRoot, 'infra/k8s/ingress-srv.yaml');

export interface IngressRoute {
  path: string;
  pathType: 'Prefix' | 'Exact' | 'ImplementationSpecific';
  service: string;
  port: number;
}

interface IngressPath {
  path?: string;
  pathType?: IngressRoute['pathType'];
  backend?: { service?: { name?: string; port?: { number?: number } } };
}

interface IngressDoc {
  kind?: string;
  spec?: { rules?: { http?: { paths?: IngressPath[] } }[] };
}

/**
 * The routes of the manifest's Ingresses, most specific first, as ingress-nginx matches them: it merges
 * the Ingresses of one host (live's has an Ingress of its own, for its WebSocket timeouts).
 */
export const readIngressRoutes = (file = ingressManifest): IngressRoute[] => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS() as IngressDoc);
  const ingresses = docs.filter((doc) => doc?.kind === 'Ingress');
  if (ingresses.length === 0) throw new Error(`${file} holds no Ingress`);
  const rules = ingresses.flatMap((ingress) => ingress.spec?.rules ?? []);
  const routes = rules.flatMap((rule) => rule.http?.paths ?? []).map(toRoute);
  return routes.sort((a, b) => b.path.length - a.path.length);
};

const toRoute = (entry: IngressPath): IngressRoute => {
  const service = entry.backend?.service?.name;
  const port = entry.backend?.service?.port?.number;
  if (!entry.path || !service || !port) throw new Error(`Ingress path without path, service or port: ${JSON.stringify(entry)}`);
  return { path: entry.path, pathType: entry.pathType ?? 'Prefix', service, port };
};

/** Kubernetes path matching: Prefix matches whole path segments, Exact the whole path. */
export const matchRoute = (routes: IngressRoute[], urlPath: string): IngressRoute | undefined =>
  routes.find((route) => {
    if (route.pathType === 'Exact') return urlPath === route.path;
    const prefix = route.path.replace(/\/+$/, '');
    return prefix === '' || urlPath === prefix || urlPath.startsWith(`${prefix}/`);
  });
