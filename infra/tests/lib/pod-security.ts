import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import { claimVolumeNames, Cluster, containersOf, describeWorkload, nameOf, Workload } from './kube';

/** What a third-party image needs to run locked down: the unprivileged user it was built for, and every path it writes. */
export interface ImageLockdown {
  image: RegExp;
  /** The image's own user, whose id its entrypoint gives the data when it starts as root; absent if the image has none. */
  user?: number;
  writes: string[];
  /** What it writes when a Job runs it as a client (mongosh), if that differs. */
  clientWrites?: string[];
}

export const imageLockdowns: ImageLockdown[] = [
  // /tmp: mongod's Unix socket.
  // As a client (the replica sets' init Jobs), mongosh keeps its history and logs under HOME, set to /tmp.
  { image: /^mongo:/, user: 999, writes: ['/data/db', '/tmp'], clientWrites: ['/tmp'] },
  { image: /^redis:/, user: 999, writes: ['/data'] },
  // A static binary on scratch: any unprivileged id does.
  { image: /^nats-streaming:/, writes: ['/data/stan'] },
  // nats-server (JetStream): alpine-based, but runs as root unless told otherwise; its store is all it writes.
  { image: /^nats:/, writes: ['/data/jetstream'] },
  // Zipkin (the observability profile): Alpine's first adduser; spans stay in memory, Netty unpacks its native transport into /tmp.
  { image: /^openzipkin\/zipkin:/, user: 1000, writes: ['/tmp'] },
];

type Pod = NonNullable<NonNullable<Workload['spec']>['template']['spec']>;

/** A setting of the container's securityContext, else of the pod's, as the kubelet resolves it. */
const effective = <K extends 'runAsNonRoot' | 'runAsUser' | 'seccompProfile'>(
  pod: Pod,
  container: IContainer,
  key: K,
): IPodSecurityContext[K] => container.securityContext?.[key] ?? pod.securityContext?.[key];

/** What every container gets, ours and third-party alike: no root, no privilege escalation, no capabilities. */
const baselineProblems = (pod: Pod, container: IContainer): string[] => {
  const problems: string[] = [];
  const context = container.securityContext;
  if (effective(pod, container, 'runAsNonRoot') !== true) problems.push('runAsNonRoot is not true');
  if (effective(pod, container, 'runAsUser') === 0) problems.push('runs as user 0');
  if (context?.privileged === true) problems.push('is privileged');
  if (context?.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation is not false');
  if (!context?.capabilities?.drop?.includes('ALL')) problems.push('does not drop ALL capabilities');
  if ((context?.capabilities?.add ?? []).length > 0) problems.push(`adds capabilities ${(context?.capabilities?.add ?? []).join(', ')}`);
  return problems;
};

/** Third-party images (the databases, NATS, Redis) get the rest: their own user, seccomp, a read-only root filesystem. */
const lockdownProblems = (claims: Set<string>, pod: Pod, container: IContainer, asClient = false): string[] => {
  const image = container.image ?? '';
  const lockdown = imageLockdowns.find((candidate) => candidate.image.test(image));
  if (!lockdown) return [`${image} has no entry in imageLockdowns (its user and the paths it writes)`];
  const problems: string[] = [];
  const user = effective(pod, container, 'runAsUser');
  if (user === undefined) problems.push('no numeric runAsUser, so runAsNonRoot cannot be verified for an image that starts as root');
  else if (lockdown.user !== undefined && user !== lockdown.user)
    problems.push(`runs as user ${user}, not the image's own ${lockdown.user}`);
  if (effective(pod, container, 'seccompProfile')?.type !== 'RuntimeDefault') problems.push('seccompProfile is not RuntimeDefault');
  if (container.securityContext?.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem is not true');
  if (pod.automountServiceAccountToken !== false) problems.push('mounts a service account token it never uses');
  if ((container.volumeMounts ?? []).some((mount) => claims.has(mount.name)) && pod.securityContext?.fsGroup === undefined)
    problems.push('no fsGroup, so its volume claim may not be writable to its user');
  for (const path of (asClient ? lockdown.clientWrites : undefined) ?? lockdown.writes) {
    const writable = (container.volumeMounts ?? []).some(
      (mount) => !mount.readOnly && (path === mount.mountPath || path.startsWith(`${mount.mountPath.replace(/\/$/, '')}/`)),
    );
    if (!writable) problems.push(`writes ${path}, which is on no writable volume`);
  }
  return problems;
};

/**
 * Every container runs unprivileged; those of images skaffold does not build
 * (Mongo, Redis, NATS Streaming) are locked down further.
 */
export const podSecurityProblems = (cluster: Cluster, builtImages: Set<string>): string[] =>
  cluster.workloads.flatMap((deployment) => {
    const pod = deployment.spec?.template.spec;
    if (!pod) return [];
    return containersOf(deployment).flatMap((container) =>
      [
        ...baselineProblems(pod, container),
        ...(builtImages.has(container.image ?? '') ? [] : lockdownProblems(claimVolumeNames(deployment), pod, container)),
      ].map((problem) => `${describeWorkload(deployment)} container ${container.name}: ${problem}`),
    );
  });

/** The pods of Jobs (the replica sets' init Jobs) are held to the same rules. */
export const jobSecurityProblems = (cluster: Cluster, builtImages: Set<string>): string[] =>
  cluster.jobs.flatMap((job) => {
    const pod = job.spec?.template.spec;
    if (!pod) return [];
    const claims = new Set((pod.volumes ?? []).filter((volume) => volume.persistentVolumeClaim).map((volume) => volume.name));
    return pod.containers.flatMap((container) =>
      [
        ...baselineProblems(pod, container),
        ...(builtImages.has(container.image ?? '') ? [] : lockdownProblems(claims, pod, container, true)),
      ].map((problem) => `Job ${nameOf(job)} container ${container.name}: ${problem}`),
    );
  });
