import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import {
  Cluster,
  containersOf,
  describeWorkload,
  findConfigMap,
  findService,
  IContainer,
  Workload,
  IService,
  nameOf,
  podLabels,
  selectedBy,
} from './kube';

/** Each workload's selector matches its own pods, and some Service routes to them. */
export const selectorProblems = (cluster: Cluster): string[] =>
  cluster.workloads.flatMap((deployment) => {
    const name = describeWorkload(deployment);
    const selector = deployment.spec?.selector.matchLabels ?? {};
    const labels = podLabels(deployment);
    const problems: string[] = [];
    if (Object.keys(selector).length === 0) problems.push(`${name}: selector.matchLabels is empty`);
    for (const [key, value] of Object.entries(selector)) {
      if (labels[key] !== value) problems.push(`${name}: selector ${key}=${value} does not match its pod labels`);
    }
    if (!cluster.services.some((service) => selectedBy(service, cluster).includes(deployment))) {
      problems.push(`${name}: no Service selects its pods`);
    }
    return problems;
  });

/** A Service port's targetPort, resolved against one Deployment's containers (a number, or a container port's name). */
const containerPortFor = (port: IServicePort, deployment: Workload): number | undefined => {
  const target = port.targetPort ?? port.port;
  const declared = containersOf(deployment).flatMap((container) => container.ports ?? []);
  const match = declared.find((containerPort) =>
    typeof target === 'number' ? containerPort.containerPort === target : containerPort.name === target,
  );
  return match?.containerPort;
};

const portProblems = (service: IService, port: IServicePort, cluster: Cluster): string[] => {
  const targets = selectedBy(service, cluster);
  const label = `Service ${nameOf(service)} port ${port.port}`;
  if (targets.length === 0) return [`Service ${nameOf(service)}: selects no Deployment's pods`];
  return targets
    .filter((deployment) => containerPortFor(port, deployment) === undefined)
    .map(
      (deployment) =>
        `${label}: targetPort ${String(port.targetPort ?? port.port)} is not a container port of ${describeWorkload(deployment)}`,
    );
};

/** Every Service selects pods, and each of its ports leads to a port their containers declare. */
export const servicePortProblems = (cluster: Cluster): string[] =>
  cluster.services.flatMap((service) => (service.spec?.ports ?? []).flatMap((port) => portProblems(service, port, cluster)));

export interface IngressRoute {
  host: string;
  path: string;
  pathType: string;
  service: string;
  port: number | string;
}

export const ingressRoutes = (cluster: Cluster): IngressRoute[] =>
  cluster.ingresses.flatMap((ingress) =>
    (ingress.spec?.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? []).map((entry) => ({
        host: rule.host ?? '*',
        path: entry.path ?? '',
        pathType: entry.pathType,
        service: entry.backend.service?.name ?? '(no service)',
        port: entry.backend.service?.port?.number ?? entry.backend.service?.port?.name ?? '(no port)',
      })),
    ),
  );

/** Each Ingress backend names an existing Service and one of its ports, and that port reaches a container port. */
export const ingressProblems = (cluster: Cluster): string[] =>
  ingressRoutes(cluster).flatMap((route) => {
    const label = `Ingress path ${route.path} -> ${route.service}:${route.port}`;
    const service = findService(cluster, route.service);
    if (!service) return [`${label}: no Service named ${route.service}`];
    const port = (service.spec?.ports ?? []).find((candidate) =>
      typeof route.port === 'number' ? candidate.port === route.port : candidate.name === route.port,
    );
    if (!port) return [`${label}: Service ${route.service} has no port ${route.port}`];
    return portProblems(service, port, cluster).map((problem) => `${label}: ${problem}`);
  });

export const inNamespaceHost = (host: string) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(host);

/** The literal settings the pods read, grouped by where they are written: each container's env, each ConfigMap. */
const settingSources = (cluster: Cluster): { where: string; settings: Map<string, string> }[] => [
  ...cluster.workloads.flatMap((deployment) =>
    containersOf(deployment).map((container) => ({
      where: `${describeWorkload(deployment)}`,
      settings: new Map(
        (container.env ?? []).flatMap((variable) => (variable.value === undefined ? [] : [[variable.name, variable.value] as const])),
      ),
    })),
  ),
  ...cluster.configMaps.map((configMap) => ({
    where: `ConfigMap ${nameOf(configMap)}`,
    settings: new Map(Object.entries(configMap.data ?? {})),
  })),
];

const hasPort = (service: IService, port: number) => (service.spec?.ports ?? []).some((candidate) => candidate.port === port);

/** The in-namespace host and port a setting points at, if it names one: a URL, or a *_HOST with its *_PORT. */
export const addressIn = (name: string, value: string, settings: Map<string, string>): { host: string; port?: number } | undefined => {
  if (name.endsWith('_HOST')) {
    const port = settings.get(name.replace(/_HOST$/, '_PORT'));
    return { host: value, port: port === undefined ? undefined : Number(port) };
  }
  try {
    const url = new URL(value);
    return { host: url.hostname, port: url.port ? Number(url.port) : undefined };
  } catch {
    return undefined;
  }
};

/**
 * Connection settings that name a Service of this namespace (mongodb://auth-mongo-srv:27017/auth,
 * nats://nats-srv:4222, REDIS_HOST + REDIS_PORT) name one that exists, on a port it serves.
 */
export const serviceAddressProblems = (cluster: Cluster): string[] =>
  settingSources(cluster).flatMap(({ where, settings }) =>
    [...settings].flatMap(([name, value]) => {
      const address = addressIn(name, value, settings);
      if (!address || !inNamespaceHost(address.host)) return [];
      const label = `${where}: ${name}=${value}`;
      const service = findService(cluster, address.host);
      if (!service) return [`${label}: no Service named ${address.host}`];
      if (address.port !== undefined && !hasPort(service, address.port)) {
        return [`${label}: Service ${address.host} has no port ${address.port}`];
      }
      return [];
    }),
  );

/** A server flag's value in args, in any of the forms Go's flag package takes: -f v, -f=v, --f v, --f=v. */
export const flagValue = (args: string[], names: string[]): string | undefined => {
  for (let i = 0; i < args.length; i += 1) {
    const match = /^--?([^=]+)(?:=(.*))?$/.exec(args[i]);
    if (!match || !names.includes(match[1])) continue;
    return match[2] ?? args[i + 1];
  }
  return undefined;
};

/**
 * The literal settings a container ends up with: its ConfigMaps' (envFrom) first,
 * then its own env, which wins, as the kubelet builds the environment.
 */
export const containerSettings = (container: IContainer, cluster: Cluster): Map<string, string> => {
  const settings = new Map<string, string>();
  for (const source of container.envFrom ?? []) {
    const data = findConfigMap(cluster, source.configMapRef?.name ?? '')?.data ?? {};
    for (const [key, value] of Object.entries(data)) settings.set(`${source.prefix ?? ''}${key}`, value);
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) settings.set(variable.name, variable.value);
    else settings.delete(variable.name);
  }
  return settings;
};

/**
 * NATS_CLUSTER_ID is the cluster id the NATS Streaming server that NATS_URL names
 * was started with, in every container that gets both (from its ConfigMaps or its own env).
 */
export const natsClusterProblems = (cluster: Cluster): string[] =>
  cluster.workloads.flatMap((deployment) =>
    containersOf(deployment).flatMap((client) => {
      const settings = containerSettings(client, cluster);
      const url = settings.get('NATS_URL');
      const clusterId = settings.get('NATS_CLUSTER_ID');
      if (url === undefined || clusterId === undefined) return [];
      const service = findService(cluster, new URL(url).hostname);
      if (!service) return []; // serviceAddressProblems reports it
      return selectedBy(service, cluster).flatMap((server) =>
        containersOf(server).flatMap((container) => {
          const serverId = flagValue(container.args ?? [], ['cid', 'cluster_id']);
          return serverId === clusterId
            ? []
            : [
                `${describeWorkload(deployment)}: NATS_CLUSTER_ID=${clusterId}, but ${describeWorkload(server)} runs cluster id ${serverId ?? '(default)'}`,
              ];
        }),
      );
    }),
  );
