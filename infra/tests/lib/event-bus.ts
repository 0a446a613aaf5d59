import type { IContainer } from 'kubernetes-models/v1/Container';
import { Cluster, containersOf, describeWorkload, findService, isDeployment, nameOf, podLabels, selectedBy, Workload } from './kube';
import { mountedConfigFile } from './nats-auth';
import { allows, podsOf, selects, strangers } from './network';
import { containerSettings, flagValue } from './wiring';

/**
 * The transports EVENT_BUS names and the variables each needs, as
 * common/src/bus/connect-event-bus.ts has them; NATS Streaming when unset.
 */
export const transports: Record<string, { env: string[]; server: RegExp }> = {
  'nats-streaming': { env: ['NATS_URL', 'NATS_CLUSTER_ID'], server: /^nats-streaming:/ },
  jetstream: { env: ['NATS_URL'], server: /^nats:/ },
};
export const defaultTransport = 'nats-streaming';

/** The transport a container is configured for: EVENT_BUS from its ConfigMaps or its own env. */
export const transportOf = (container: IContainer, cluster: Cluster): string =>
  containerSettings(container, cluster).get('EVENT_BUS') ?? defaultTransport;

/** The variables a container that uses the event bus needs for its transport (the default's, if EVENT_BUS names none). */
export const transportEnv = (container: IContainer, cluster: Cluster): string[] =>
  (transports[transportOf(container, cluster)] ?? transports[defaultTransport]).env;

const jetStreamEnabled = (args: string[], config: string | undefined) =>
  args.some((arg) => /^--?(?:js|jetstream)(?:=true)?$/.test(arg)) || /^\s*jetstream\s*[:=]?\s*(?:\{|true|enabled)/m.test(config ?? '');

/** Where a JetStream server keeps its streams: -sd/--store_dir, else the config file's store_dir. */
const storeDirOf = (args: string[], config: string | undefined) =>
  flagValue(args, ['sd', 'store_dir']) ?? /\bstore_dir\s*[:=]\s*"?([^\s"]+)"?/.exec(config ?? '')?.[1];

const underMount = (path: string, mountPath: string) => path === mountPath || path.startsWith(`${mountPath.replace(/\/$/, '')}/`);

/**
 * A JetStream server (a nats image) runs as a StatefulSet with JetStream on, and keeps its store on a volume claim
 * of its own: a volumeClaimTemplate, so the streams outlive the pod and no two pods share them.
 */
export const jetStreamServerProblems = (cluster: Cluster): string[] =>
  cluster.workloads.flatMap((workload) =>
    containersOf(workload)
      .filter((container) => transports.jetstream.server.test(container.image ?? ''))
      .flatMap((container) => {
        const label = `${describeWorkload(workload)} container ${container.name}`;
        if (isDeployment(workload)) return [`${label}: JetStream runs in a Deployment, not a StatefulSet with a volume per pod`];
        const args = container.args ?? [];
        const configPath = flagValue(args, ['c', 'config']);
        const config = configPath === undefined ? undefined : mountedConfigFile(workload, container, configPath, cluster);
        if (!jetStreamEnabled(args, config)) return [`${label}: JetStream is not enabled (-js)`];
        const storeDir = storeDirOf(args, config);
        if (storeDir === undefined) return [`${label}: no store_dir, so JetStream keeps its streams in the container's /tmp`];
        const templates = new Set((workload.spec?.volumeClaimTemplates ?? []).map((template) => template.metadata?.name));
        const onTemplate = (container.volumeMounts ?? []).some(
          (mount) => !mount.readOnly && templates.has(mount.name) && underMount(storeDir, mount.mountPath),
        );
        return onTemplate ? [] : [`${label}: store_dir ${storeDir} is on no volumeClaimTemplate`];
      }),
  );

/**
 * Every container of an image that uses the event bus names a transport in EVENT_BUS (or none, the default), and
 * its NATS_URL leads to a server of that transport: NATS Streaming for the default, nats-server with JetStream for
 * jetstream.
 */
export const eventBusProblems = (cluster: Cluster, busImages: Set<string>): string[] =>
  cluster.workloads.flatMap((workload) =>
    containersOf(workload)
      .filter((container) => busImages.has(container.image ?? ''))
      .flatMap((container) => {
        const label = describeWorkload(workload);
        const transport = transportOf(container, cluster);
        const known = transports[transport];
        if (!known) return [`${label}: EVENT_BUS=${transport} is none of ${Object.keys(transports).join(', ')}`];
        const url = containerSettings(container, cluster).get('NATS_URL');
        if (url === undefined) return []; // serviceEnvProblems reports it
        const service = findService(cluster, new URL(url).hostname);
        if (!service) return []; // serviceAddressProblems reports it
        return selectedBy(service, cluster).flatMap((server: Workload) => {
          const images = containersOf(server).map((candidate) => candidate.image ?? '');
          return images.some((image) => known.server.test(image))
            ? []
            : [`${label}: EVENT_BUS=${transport}, but its NATS_URL leads to ${describeWorkload(server)}, which runs ${images.join(', ')}`];
        });
      }),
  );

/** The routes of a nats.conf's cluster block, and the port it listens on for them. */
const clusterBlockOf = (config: string | undefined) => {
  const block = /^\s*cluster\s*\{[\s\S]*?^\s*\}/m.exec(config ?? '')?.[0];
  if (block === undefined) return undefined;
  const port = Number(/^\s*port\s*[:=]\s*(\d+)/m.exec(block)?.[1]);
  return { port, routes: [...block.matchAll(/nats:\/\/[\w.-]+:\d+/g)].map((match) => match[0]) };
};

/** The variable `server_name: $NAME` reads, when its value comes from the pod's own name (a fieldRef to metadata.name). */
const serverNameFromPod = (container: IContainer, config: string | undefined) => {
  const variable = /^\s*server_name\s*[:=]\s*\$(\w+)/m.exec(config ?? '')?.[1];
  return (container.env ?? []).some((env) => env.name === variable && env.valueFrom?.fieldRef?.fieldPath === 'metadata.name');
};

const majorityOf = (pods: number) => Math.floor(pods / 2) + 1;

/** Pods a budget selecting the StatefulSet's lets go at once, when it says so as a count. */
const evictableOf = (cluster: Cluster, workload: Workload, pods: number): number | undefined => {
  const budget = cluster.disruptionBudgets.find((candidate) => selects(candidate.spec?.selector ?? {}, podLabels(workload)));
  const { maxUnavailable, minAvailable } = budget?.spec ?? {};
  if (typeof maxUnavailable === 'number') return maxUnavailable;
  if (typeof minAvailable === 'number') return pods - minAvailable;
  return undefined;
};

const antiAffine = (workload: Workload) =>
  (workload.spec?.template.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(
    (term) =>
      term.topologyKey === 'kubernetes.io/hostname' && term.labelSelector !== undefined && selects(term.labelSelector, podLabels(workload)),
  );

/** Who besides the cluster's own pods may reach its route port: every other workload's pods, and the strangers. */
const routeIntruders = (cluster: Cluster, workload: Workload, port: number): string[] =>
  [...cluster.workloads.filter((other) => other !== workload).map(podsOf), ...strangers(cluster)]
    .filter((peer) => allows(cluster, peer, workload, port))
    .map((peer) => peer.description);

/**
 * A JetStream cluster: an odd number of servers, at least 3 (a majority survives one lost), each named after its
 * pod, routed to every member by its stable name (nats-0.nats-headless ...), one per node, a disruption budget that
 * lets a drain take one at a time but never the majority, and its route port open to its own pods only.
 */
export const jetStreamClusterProblems = (cluster: Cluster): string[] =>
  cluster.workloads.flatMap((workload) =>
    containersOf(workload)
      .filter((container) => transports.jetstream.server.test(container.image ?? '') && !isDeployment(workload))
      .flatMap((container) => {
        const label = describeWorkload(workload);
        const pods = workload.spec?.replicas ?? 1;
        if (pods < 3 || pods % 2 === 0) return [`${label}: ${pods} servers; a JetStream cluster needs an odd number, at least 3`];
        const configPath = flagValue(container.args ?? [], ['c', 'config']);
        const config = configPath === undefined ? undefined : mountedConfigFile(workload, container, configPath, cluster);
        const block = clusterBlockOf(config);
        if (!block) return [`${label}: nats.conf has no cluster block, so its servers never route to each other`];
        const service = isDeployment(workload) ? undefined : workload.spec?.serviceName;
        const members = Array.from({ length: pods }, (_, i) => `nats://${nameOf(workload)}-${i}.${service}:${block.port}`);
        const problems = [
          ...members.filter((member) => !block.routes.includes(member)).map((member) => `${label}: the routes do not name ${member}`),
          ...block.routes.filter((route) => !members.includes(route)).map((route) => `${label}: the route ${route} names no member`),
        ];
        if (!serverNameFromPod(container, config))
          problems.push(`${label}: server_name is not the pod's own name (a fieldRef to metadata.name)`);
        if (!antiAffine(workload))
          problems.push(`${label}: two servers may share a node (no required anti-affinity on kubernetes.io/hostname)`);
        const evictable = evictableOf(cluster, workload, pods);
        if (evictable === undefined || evictable < 1 || pods - evictable < majorityOf(pods))
          problems.push(`${label}: no disruption budget that lets one server go and keeps ${majorityOf(pods)} up`);
        if (!allows(cluster, podsOf(workload), workload, block.port))
          problems.push(`${label}: its servers cannot reach each other's route port ${block.port}`);
        problems.push(
          ...routeIntruders(cluster, workload, block.port).map((peer) => `${label}: ${peer} may reach the route port ${block.port}`),
        );
        return problems;
      }),
  );
