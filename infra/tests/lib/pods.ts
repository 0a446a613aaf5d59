import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { claimVolumeNames, Cluster, containersOf, describeWorkload, isDeployment, nameOf, Workload } from './kube';

const binarySuffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const decimalSuffixes: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A Kubernetes quantity ("250m", "1", "384Mi", "1Gi") as a number, or undefined if it is not one. */
export const parseQuantity = (quantity: string | number | undefined): number | undefined => {
  if (typeof quantity === 'number') return quantity;
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(quantity ?? '');
  if (!match) return undefined;
  const factor = binarySuffixes[match[2]] ?? decimalSuffixes[match[2]];
  return factor === undefined ? undefined : Number(match[1]) * factor;
};

const resourceProblems = (container: IContainer): string[] =>
  ['cpu', 'memory'].flatMap((resource) => {
    const request = parseQuantity(container.resources?.requests?.[resource]);
    const limit = parseQuantity(container.resources?.limits?.[resource]);
    if (request === undefined) return [`no ${resource} request`];
    if (limit === undefined) return [`no ${resource} limit`];
    return request > limit ? [`${resource} request is above its limit`] : [];
  });

const probePort = (probe: IProbe) => probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;

const probeProblems = (container: IContainer): string[] => {
  const ports = (container.ports ?? []).flatMap((port) => [port.containerPort, port.name]);
  return (['readinessProbe', 'livenessProbe'] as const).flatMap((kind) => {
    const probe = container[kind];
    if (!probe) return [`no ${kind}`];
    const port = probePort(probe);
    if (port !== undefined && !ports.includes(port)) return [`${kind} checks port ${port}, which the container does not declare`];
    return [];
  });
};

/** Every container of every Deployment: requests and limits for CPU and memory, readiness and liveness probes on a declared port. */
export const podResourceProblems = (cluster: Cluster): string[] =>
  cluster.workloads.flatMap((deployment) =>
    containersOf(deployment).flatMap((container) =>
      [...resourceProblems(container), ...probeProblems(container)].map(
        (problem) => `${describeWorkload(deployment)} container ${container.name}: ${problem}`,
      ),
    ),
  );

/** Seconds a `sleep N` preStop hook waits, if that is what the hook is. */
const preStopSleep = (container: IContainer): number | undefined => {
  const preStop = container.lifecycle?.preStop;
  if (preStop?.sleep) return preStop.sleep.seconds;
  const command = preStop?.exec?.command ?? [];
  return command.length === 2 && command[0] === 'sleep' ? Number(command[1]) : undefined;
};

/** Time the application gets between SIGTERM and SIGKILL to drain in-flight work, at the least. */
export const minimumDrainSeconds = 20;
const defaultGracePeriod = 30;

/**
 * The containers of our own images (built by skaffold) shut down gracefully: a
 * preStop sleep lets the endpoint leave the Service and the ingress before
 * SIGTERM, and the grace period leaves time to drain after it.
 */
export const gracefulShutdownProblems = (cluster: Cluster, builtImages: Set<string>): string[] =>
  cluster.workloads.flatMap((deployment) => {
    const grace = deployment.spec?.template.spec?.terminationGracePeriodSeconds ?? defaultGracePeriod;
    return containersOf(deployment)
      .filter((container) => container.image !== undefined && builtImages.has(container.image))
      .flatMap((container) => {
        const label = `${describeWorkload(deployment)} container ${container.name}`;
        const sleep = preStopSleep(container);
        if (sleep === undefined || !(sleep > 0)) return [`${label}: no preStop sleep before SIGTERM`];
        if (grace - sleep < minimumDrainSeconds) {
          return [
            `${label}: terminationGracePeriodSeconds ${grace} leaves less than ${minimumDrainSeconds}s after the ${sleep}s preStop sleep`,
          ];
        }
        return [];
      });
  });

/**
 * A Deployment whose in-flight work may take up to `workSeconds` after SIGTERM (payments' call to Stripe: a charge
 * taken in the last second of the preStop pause is finished, not cut) has a grace period that covers the pause,
 * that work, and `marginSeconds` to close its connections afterwards.
 */
export const inFlightWorkProblems = (
  cluster: Cluster,
  work: { deployment: string; workSeconds: number; what: string },
  marginSeconds = 10,
): string[] => {
  const deployment = cluster.workloads.find((candidate) => nameOf(candidate) === work.deployment);
  if (!deployment) return [`no workload ${work.deployment}`];
  const grace = deployment.spec?.template.spec?.terminationGracePeriodSeconds ?? defaultGracePeriod;
  return containersOf(deployment).flatMap((container) => {
    const sleep = preStopSleep(container) ?? 0;
    const needed = sleep + work.workSeconds + marginSeconds;
    return grace >= needed
      ? []
      : [
          `${describeWorkload(deployment)} container ${container.name}: terminationGracePeriodSeconds ${grace} is under ${needed}s (${sleep}s preStop + ${work.workSeconds}s ${work.what} + ${marginSeconds}s to close)`,
        ];
  });
};

/** A release tag down to the patch version (7.0.16, 7.4.2-alpine, 0.25.6), or a digest: a tag no release moves. */
const exactTag = /^\d+\.\d+\.\d+(?:-[a-z0-9.]+)?$/;

/**
 * Our own images come from skaffold; anything else is a third-party image
 * pinned to a release (not latest, not a major or minor line such as 7 or 7.0,
 * which a pull can move to a release nobody tested).
 */
export const imagePinProblems = (cluster: Cluster, builtImages: Set<string>): string[] =>
  cluster.workloads.flatMap((deployment) =>
    containersOf(deployment).flatMap((container) => {
      const image = container.image ?? '';
      if (builtImages.has(image) || /@sha256:[0-9a-f]{64}$/.test(image)) return [];
      const tag = /:([^/:]+)$/.exec(image)?.[1];
      if (!tag || tag === 'latest') {
        return [`${describeWorkload(deployment)}: image ${image || '(none)'} is neither built by skaffold nor pinned to a tag`];
      }
      return exactTag.test(tag)
        ? []
        : [`${describeWorkload(deployment)}: image ${image} is pinned to ${tag}, which moves with each release; pin a patch release`];
    }),
  );

const claimsOf = (deployment: Workload): string[] =>
  (deployment.spec?.template.spec?.volumes ?? []).flatMap((volume) =>
    volume.persistentVolumeClaim ? [volume.persistentVolumeClaim.claimName] : [],
  );

/**
 * Volume claims exist, and a Deployment holding a ReadWriteOnce claim runs one
 * pod and replaces it with Recreate, so old and new pod never share the data.
 */
export const volumeProblems = (cluster: Cluster): string[] =>
  cluster.workloads.flatMap((deployment) =>
    claimsOf(deployment).flatMap((claimName) => {
      const label = `${describeWorkload(deployment)} volume claim ${claimName}`;
      const claim = cluster.claims.find((candidate) => nameOf(candidate) === claimName);
      if (!claim) return [`${label}: no PersistentVolumeClaim with that name`];
      if (!claim.spec?.accessModes?.includes('ReadWriteOnce')) return [];
      const problems: string[] = [];
      if ((deployment.spec?.replicas ?? 1) > 1) problems.push(`${label}: ReadWriteOnce but more than one replica`);
      // A StatefulSet replaces its pod only once the old one is gone; a Deployment does so only with Recreate.
      if (isDeployment(deployment) && deployment.spec?.strategy?.type !== 'Recreate')
        problems.push(`${label}: ReadWriteOnce needs strategy Recreate`);
      return problems;
    }),
  );

/** Images that keep state on disk, and where. */
export const statefulImages: { image: RegExp; dataPath: string }[] = [
  { image: /^mongo:/, dataPath: '/data/db' },
  { image: /^redis:/, dataPath: '/data' },
  { image: /^nats-streaming:/, dataPath: '/data/stan' },
];

/** A database keeps its data on a volume claim, so a pod restart does not wipe it. */
export const persistenceProblems = (cluster: Cluster): string[] =>
  cluster.workloads.flatMap((deployment) => {
    const claimed = claimVolumeNames(deployment);
    return containersOf(deployment).flatMap((container) => {
      const stateful = statefulImages.find(({ image }) => image.test(container.image ?? ''));
      if (!stateful) return [];
      const mounted = (container.volumeMounts ?? []).some((mount) => mount.mountPath === stateful.dataPath && claimed.has(mount.name));
      return mounted ? [] : [`${describeWorkload(deployment)}: ${stateful.dataPath} is not on a volume claim`];
    });
  });
