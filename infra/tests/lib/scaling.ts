import type { IPodAffinityTerm } from 'kubernetes-models/v1/PodAffinityTerm';
import {
  Cluster,
  containersOf,
  describeWorkload,
  IHorizontalPodAutoscaler,
  IPodDisruptionBudget,
  isDeployment,
  nameOf,
  podLabels,
  Workload,
} from './kube';
import { selects } from './network';
import { parseQuantity } from './pods';

/** The fewest pods a stateless service may run, so that one pod's loss or replacement leaves it serving. */
export const minimumReplicas = 2;

export const hostnameTopology = 'kubernetes.io/hostname';

/** The workloads of our own images (built by skaffold): stateless, their state in the databases, so they scale out. */
export const statelessWorkloads = (cluster: Cluster, builtImages: Set<string>): Workload[] =>
  cluster.workloads.filter((workload) => containersOf(workload).some((container) => builtImages.has(container.image ?? '')));

const describeAutoscaler = (autoscaler: IHorizontalPodAutoscaler) => `HorizontalPodAutoscaler ${nameOf(autoscaler)}`;
const describeBudget = (budget: IPodDisruptionBudget) => `PodDisruptionBudget ${nameOf(budget)}`;

/** The workload an autoscaler's scaleTargetRef names, if it exists. */
export const autoscalerTarget = (cluster: Cluster, autoscaler: IHorizontalPodAutoscaler): Workload | undefined => {
  const ref = autoscaler.spec?.scaleTargetRef;
  return cluster.workloads.find(
    (workload) => workload.apiVersion === ref?.apiVersion && workload.kind === ref.kind && nameOf(workload) === ref.name,
  );
};

const autoscalersOf = (cluster: Cluster, workload: Workload) =>
  cluster.autoscalers.filter((autoscaler) => autoscalerTarget(cluster, autoscaler) === workload);

/** The fewest pods a workload runs: its autoscaler's minReplicas (1 unset), else its replicas (1 unset). */
export const replicaFloor = (cluster: Cluster, workload: Workload): number => {
  const autoscaler = autoscalersOf(cluster, workload)[0];
  return autoscaler ? (autoscaler.spec?.minReplicas ?? 1) : (workload.spec?.replicas ?? 1);
};

/**
 * Every stateless service runs at least two pods. One under an autoscaler leaves the count to it: a replicas field
 * in the manifest would reset the count on every apply, in the middle of a rush too.
 */
export const replicaProblems = (cluster: Cluster, builtImages: Set<string>): string[] =>
  statelessWorkloads(cluster, builtImages).flatMap((workload) => {
    const label = describeWorkload(workload);
    const problems: string[] = [];
    const floor = replicaFloor(cluster, workload);
    if (floor < minimumReplicas) problems.push(`${label}: runs ${floor} pod(s) at the least, fewer than ${minimumReplicas}`);
    const autoscaler = autoscalersOf(cluster, workload)[0];
    if (autoscaler && workload.spec?.replicas !== undefined) {
      problems.push(`${label}: sets replicas, which every apply would reset under ${describeAutoscaler(autoscaler)}`);
    }
    return problems;
  });

const isZero = (value: number | string | undefined) => value === 0 || value === '0' || value === '0%';

/**
 * A rollout never runs below the current count: a stateless Deployment surges one new pod and removes an old one
 * only once the new one is ready, which its readiness probe decides.
 */
export const rolloutProblems = (cluster: Cluster, builtImages: Set<string>): string[] =>
  statelessWorkloads(cluster, builtImages).flatMap((workload) => {
    const label = describeWorkload(workload);
    if (!isDeployment(workload)) return [`${label}: a stateless service runs as a Deployment`];
    const strategy = workload.spec?.strategy;
    if (strategy?.type === 'Recreate') return [`${label}: strategy Recreate stops every pod before starting new ones`];
    const problems: string[] = [];
    if (!isZero(strategy?.rollingUpdate?.maxUnavailable)) problems.push(`${label}: a rollout may take pods away (maxUnavailable is not 0)`);
    const surge = strategy?.rollingUpdate?.maxSurge;
    if (surge === undefined || isZero(surge)) problems.push(`${label}: a rollout cannot add a pod first (maxSurge is not set above 0)`);
    for (const container of containersOf(workload)) {
      if (!container.readinessProbe)
        problems.push(`${label} container ${container.name}: no readinessProbe, so a pod counts as ready at once`);
    }
    return problems;
  });

const selectsOwnPods = (term: IPodAffinityTerm, workload: Workload) =>
  term.topologyKey === hostnameTopology && term.labelSelector !== undefined && selects(term.labelSelector, podLabels(workload));

/**
 * The pods of a stateless service prefer different nodes: a preferred podAntiAffinity on the hostname (preferred, so
 * a one-node cluster still runs them all), or a topology spread constraint on it, against the workload's own pods.
 */
export const spreadProblems = (cluster: Cluster, builtImages: Set<string>): string[] =>
  statelessWorkloads(cluster, builtImages).flatMap((workload) => {
    const pod = workload.spec?.template.spec;
    const preferred = pod?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    const spread = pod?.topologySpreadConstraints ?? [];
    const spreads =
      preferred.some((weighted) => selectsOwnPods(weighted.podAffinityTerm, workload)) ||
      spread.some(
        (constraint) =>
          constraint.topologyKey === hostnameTopology &&
          constraint.labelSelector !== undefined &&
          selects(constraint.labelSelector, podLabels(workload)),
      );
    return spreads
      ? []
      : [`${describeWorkload(workload)}: its pods are not spread across nodes (no anti-affinity to its own pods on ${hostnameTopology})`];
  });

/** Pods a budget lets go at once when the workload runs `pods`, and whether it says so as a count. */
const evictable = (budget: IPodDisruptionBudget, pods: number): number | undefined => {
  const { maxUnavailable, minAvailable } = budget.spec ?? {};
  if (typeof maxUnavailable === 'number') return maxUnavailable;
  if (typeof minAvailable === 'number') return pods - minAvailable;
  return undefined;
};

/**
 * Each stateless service has exactly one PodDisruptionBudget (an eviction that two budgets cover fails), which at its
 * fewest pods lets one go (a node drain proceeds) and keeps one (the service stays up); each budget selects the pods
 * of exactly one workload, as a count, not a percentage. A single pod (a database) has none: a budget could only
 * hang every drain or protect nothing.
 */
export const disruptionBudgetProblems = (cluster: Cluster, builtImages: Set<string>): string[] => {
  const covered = (budget: IPodDisruptionBudget) =>
    cluster.workloads.filter((workload) => selects(budget.spec?.selector ?? {}, podLabels(workload)));
  const budgetProblems = cluster.disruptionBudgets.flatMap((budget) => {
    const workloads = covered(budget);
    if (workloads.length === 0) return [`${describeBudget(budget)}: selects no workload's pods`];
    if (workloads.length > 1) return [`${describeBudget(budget)}: selects the pods of ${workloads.map(describeWorkload).join(' and ')}`];
    return [];
  });
  const stateless = statelessWorkloads(cluster, builtImages);
  const workloadProblems = cluster.workloads.flatMap((workload) => {
    const label = describeWorkload(workload);
    const budgets = cluster.disruptionBudgets.filter((budget) => covered(budget).includes(workload));
    if (budgets.length === 0) return stateless.includes(workload) ? [`${label}: no PodDisruptionBudget selects its pods`] : [];
    if (budgets.length > 1) return [`${label}: ${budgets.map(describeBudget).join(' and ')} both select its pods`];
    const [budget] = budgets;
    const floor = replicaFloor(cluster, workload);
    const allowed = evictable(budget, floor);
    if (allowed === undefined) return [`${label}: ${describeBudget(budget)} sets neither maxUnavailable nor minAvailable as a count`];
    if (allowed < 1) return [`${label}: ${describeBudget(budget)} lets no pod go at ${floor} pod(s), so a node drain would hang`];
    if (allowed >= floor) return [`${label}: ${describeBudget(budget)} lets all ${floor} pod(s) go at once, so it protects nothing`];
    return [];
  });
  return [...budgetProblems, ...workloadProblems];
};

const cpuUtilizationTarget = (autoscaler: IHorizontalPodAutoscaler) =>
  (autoscaler.spec?.metrics ?? []).find(
    (metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu' && metric.resource.target.type === 'Utilization',
  )?.resource?.target.averageUtilization;

/**
 * Each autoscaler scales an existing stateless Deployment (and no workload has two) on average CPU utilization,
 * which the kubelet measures against the CPU request of every container of the pod, from its minimum up to a
 * higher maximum.
 */
export const autoscalerProblems = (cluster: Cluster): string[] => {
  const targets = new Map<Workload, IHorizontalPodAutoscaler>();
  return cluster.autoscalers.flatMap((autoscaler) => {
    const label = describeAutoscaler(autoscaler);
    const ref = autoscaler.spec?.scaleTargetRef;
    const target = autoscalerTarget(cluster, autoscaler);
    if (!target) return [`${label}: scales ${ref?.apiVersion ?? '?'} ${ref?.kind ?? '?'} ${ref?.name ?? '?'}, which does not exist`];
    if (!isDeployment(target)) return [`${label}: scales ${describeWorkload(target)}, not a stateless Deployment`];
    const problems: string[] = [];
    const other = targets.get(target);
    if (other) problems.push(`${label}: ${describeWorkload(target)} is already scaled by ${describeAutoscaler(other)}`);
    targets.set(target, autoscaler);
    const utilization = cpuUtilizationTarget(autoscaler);
    if (utilization === undefined || !(utilization > 0 && utilization <= 100))
      problems.push(`${label}: does not scale on an average CPU utilization between 1 and 100%`);
    for (const container of containersOf(target)) {
      if (!((parseQuantity(container.resources?.requests?.cpu) ?? 0) > 0))
        problems.push(
          `${label}: ${describeWorkload(target)} container ${container.name} has no CPU request to measure utilization against`,
        );
    }
    const min = autoscaler.spec?.minReplicas ?? 1;
    if ((autoscaler.spec?.maxReplicas ?? 0) <= min) problems.push(`${label}: maxReplicas leaves no room above minReplicas ${min}`);
    return problems;
  });
};

/** The names of the Deployments some autoscaler scales. */
export const autoscaledNames = (cluster: Cluster): string[] =>
  cluster.autoscalers
    .map((autoscaler) => autoscalerTarget(cluster, autoscaler))
    .filter((target): target is Workload => target !== undefined)
    .map(nameOf)
    .sort();
