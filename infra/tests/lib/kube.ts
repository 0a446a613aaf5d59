import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { Manifest } from './manifests';

export type {
  IConfigMap,
  IContainer,
  IDeployment,
  IHorizontalPodAutoscaler,
  IIngress,
  IJob,
  INetworkPolicy,
  IPersistentVolumeClaim,
  IPodDisruptionBudget,
  IService,
  IStatefulSet,
};

/** What runs pods: a Deployment, or a StatefulSet (JetStream's server, a replica set's members: a volume and a name per pod). */
export type Workload = IDeployment | IStatefulSet;

/** The objects of the manifests that the checks reason about, by kind. */
export interface Cluster {
  /** Deployments, then StatefulSets. */
  workloads: Workload[];
  services: IService[];
  ingresses: IIngress[];
  configMaps: IConfigMap[];
  claims: IPersistentVolumeClaim[];
  secrets: ISecret[];
  networkPolicies: INetworkPolicy[];
  disruptionBudgets: IPodDisruptionBudget[];
  autoscalers: IHorizontalPodAutoscaler[];
  /** Run-once pods: the replica sets' init Jobs. */
  jobs: IJob[];
}

const isKind = (object: Record<string, unknown>, apiVersion: string, kind: string) =>
  object.apiVersion === apiVersion && object.kind === kind;

/** Sorts objects by kind; it trusts their shape, which the schema check verifies separately. */
export const toCluster = (manifests: Pick<Manifest, 'object'>[]): Cluster => {
  const objects = manifests.map((manifest) => manifest.object);
  const of = <T>(apiVersion: string, kind: string) => objects.filter((object) => isKind(object, apiVersion, kind)) as unknown as T[];
  return {
    workloads: [...of<IDeployment>('apps/v1', 'Deployment'), ...of<IStatefulSet>('apps/v1', 'StatefulSet')],
    services: of<IService>('v1', 'Service'),
    ingresses: of<IIngress>('networking.k8s.io/v1', 'Ingress'),
    configMaps: of<IConfigMap>('v1', 'ConfigMap'),
    claims: of<IPersistentVolumeClaim>('v1', 'PersistentVolumeClaim'),
    secrets: of<ISecret>('v1', 'Secret'),
    networkPolicies: of<INetworkPolicy>('networking.k8s.io/v1', 'NetworkPolicy'),
    disruptionBudgets: of<IPodDisruptionBudget>('policy/v1', 'PodDisruptionBudget'),
    autoscalers: of<IHorizontalPodAutoscaler>('autoscaling/v2', 'HorizontalPodAutoscaler'),
    jobs: of<IJob>('batch/v1', 'Job'),
  };
};

export const nameOf = (object: { metadata?: { name?: string } }): string => object.metadata?.name ?? '(unnamed)';

/** "Deployment orders-depl", "StatefulSet nats": how messages name a workload. */
export const describeWorkload = (workload: Workload): string => `${workload.kind} ${nameOf(workload)}`;

export const isDeployment = (workload: Workload): workload is IDeployment => workload.kind === 'Deployment';

export const containersOf = (workload: Workload): IContainer[] => workload.spec?.template.spec?.containers ?? [];

export const podLabels = (workload: Workload): Record<string, string> => workload.spec?.template.metadata?.labels ?? {};

/** The volumes of a workload's pods that are persistent volume claims: its own, and a StatefulSet's per-pod templates. */
export const claimVolumeNames = (workload: Workload): Set<string> =>
  new Set([
    ...(workload.spec?.template.spec?.volumes ?? []).filter((volume) => volume.persistentVolumeClaim).map((volume) => volume.name),
    ...(isDeployment(workload) ? [] : (workload.spec?.volumeClaimTemplates ?? []).map((template) => template.metadata?.name ?? '')),
  ]);

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The workloads whose pods a Service routes to. */
export const selectedBy = (service: IService, cluster: Cluster): Workload[] =>
  cluster.workloads.filter((workload) => selects(service.spec?.selector ?? {}, podLabels(workload)));

export const findService = (cluster: Cluster, name: string): IService | undefined =>
  cluster.services.find((service) => nameOf(service) === name);

export const findConfigMap = (cluster: Cluster, name: string): IConfigMap | undefined =>
  cluster.configMaps.find((configMap) => nameOf(configMap) === name);
