import type { IContainer } from 'kubernetes-models/v1/Container';
import { Cluster, containersOf, describeWorkload, findService, isDeployment, selectedBy, Workload } from './kube';
import { mountedConfigFile } from './nats-auth';
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
