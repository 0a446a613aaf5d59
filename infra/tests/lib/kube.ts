import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { Manifest } from './manifests';

export type { IConfigMap, IContainer, IDeployment, IIngress, INetworkPolicy, IPersistentVolumeClaim, IService };

/** The objects of the manifests that the checks reason about, by kind. */
export interface Cluster {
  deployments: IDeployment[];
  services: IService[];
  ingresses: IIngress[];
  configMaps: IConfigMap[];
  claims: IPersistentVolumeClaim[];
  secrets: ISecret[];
  networkPolicies: INetworkPolicy[];
}

const isKind = (object: Record<string, unknown>, apiVersion: string, kind: string) =>
  object.apiVersion === apiVersion && object.kind === kind;

/** Sorts objects by kind; it trusts their shape, which the schema check verifies separately. */
export const toCluster = (manifests: Pick<Manifest, 'object'>[]): Cluster => {
  const objects = manifests.map((manifest) => manifest.object);
  const of = <T>(apiVersion: string, kind: string) => objects.filter((object) => isKind(object, apiVersion, kind)) as unknown as T[];
  return {
    deployments: of<IDeployment>('apps/v1', 'Deployment'),
    services: of<IService>('v1', 'Service'),
    ingresses: of<IIngress>('networking.k8s.io/v1', 'Ingress'),
    configMaps: of<IConfigMap>('v1', 'ConfigMap'),
    claims: of<IPersistentVolumeClaim>('v1', 'PersistentVolumeClaim'),
    secrets: of<ISecret>('v1', 'Secret'),
    networkPolicies: of<INetworkPolicy>('networking.k8s.io/v1', 'NetworkPolicy'),
  };
};

export const nameOf = (object: { metadata?: { name?: string } }): string => object.metadata?.name ?? '(unnamed)';

export const containersOf = (deployment: IDeployment): IContainer[] => deployment.spec?.template.spec?.containers ?? [];

export const podLabels = (deployment: IDeployment): Record<string, string> => deployment.spec?.template.metadata?.labels ?? {};

const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The Deployments whose pods a Service routes to. */
export const selectedBy = (service: IService, cluster: Cluster): IDeployment[] =>
  cluster.deployments.filter((deployment) => selects(service.spec?.selector ?? {}, podLabels(deployment)));

export const findService = (cluster: Cluster, name: string): IService | undefined =>
  cluster.services.find((service) => nameOf(service) === name);

export const findConfigMap = (cluster: Cluster, name: string): IConfigMap | undefined =>
  cluster.configMaps.find((configMap) => nameOf(configMap) === name);
