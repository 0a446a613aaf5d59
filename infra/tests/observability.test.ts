import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { deployedFiles, loadCluster, loadSkaffoldConfig } from './lib/fixtures';
import { isDeployment, nameOf } from './lib/kube';
import { loadManifests } from './lib/manifests';
import { allows } from './lib/network';
import { listRepoFiles } from './lib/repo';
import { schemaProblems, unknownFieldProblems } from './lib/schema';
import { withProfile } from './lib/skaffold';

const dir = 'infra/k8s-observability';
const services = ['auth', 'tickets', 'orders', 'payments', 'balances', 'expiration', 'live', 'queue'];
const config = loadSkaffoldConfig();
const manifests = loadManifests(dir);

const serviceConfig = loadManifests('infra/k8s').find(
  ({ object }) => object.kind === 'ConfigMap' && (object.metadata as { name?: string }).name === 'service-config',
);
const metricsPort = Number((serviceConfig?.object.data as Record<string, string>).METRICS_PORT);

describe('the observability profile (Prometheus scraping every service)', () => {
  it('adds infra/k8s-observability to what skaffold deploys, and only that profile does', () => {
    const inDir = (file: string) => file.startsWith(`${dir}/`);
    expect(deployedFiles(withProfile(config, 'observability')).filter(inDir).sort()).toEqual(
      listRepoFiles()
        .filter((file) => inDir(file) && /\.ya?ml$/.test(file))
        .sort(),
    );
    for (const built of [config, withProfile(config, 'production')]) expect(deployedFiles(built).filter(inDir)).toEqual([]);
  });

  it('validates against the official Kubernetes schema, with no field it does not know', () => {
    expect(schemaProblems(manifests)).toEqual([]);
    expect(unknownFieldProblems(manifests)).toEqual([]);
  });

  it("gives every service a container port named metrics on service-config's METRICS_PORT, which no Service routes", () => {
    expect(metricsPort).toBeGreaterThan(0);
    const cluster = loadCluster('observability');
    const deployments: IDeployment[] = cluster.workloads.filter(isDeployment);
    for (const service of services) {
      const deployment = deployments.find((workload) => nameOf(workload) === `${service}-depl`);
      const ports = deployment?.spec?.template.spec?.containers.flatMap((container) => container.ports ?? []) ?? [];
      expect({ service, metrics: ports.find((port) => port.name === 'metrics')?.containerPort }).toEqual({ service, metrics: metricsPort });
    }
    const routed = loadManifests('infra/k8s')
      .filter(({ object }) => object.kind === 'Service')
      .flatMap(({ object }) => (object.spec as { ports?: { targetPort?: number | string }[] }).ports ?? [])
      .map((port) => port.targetPort);
    expect(routed).not.toContain(metricsPort);
    expect(routed).not.toContain('metrics');
  });

  it('lets Prometheus alone reach the metrics port of each service', () => {
    const cluster = loadCluster('observability');
    const prometheus = { description: 'Prometheus', labels: { app: 'prometheus' } };
    const stranger = { description: 'a stranger', labels: { app: 'stranger' } };
    for (const service of services) {
      const target = cluster.workloads.filter(isDeployment).find((workload) => nameOf(workload) === `${service}-depl`);
      if (!target) throw new Error(`no Deployment ${service}-depl`);
      expect({ service, prometheus: allows(cluster, prometheus, target, metricsPort) }).toEqual({ service, prometheus: true });
      expect({ service, stranger: allows(cluster, stranger, target, metricsPort) }).toEqual({ service, stranger: false });
    }
  });

  it('finds pods through a Role of this namespace only, never a ClusterRole', () => {
    const kinds = manifests.map(({ object }) => object.kind);
    expect(kinds).toContain('Role');
    expect(kinds).not.toContain('ClusterRole');
    expect(kinds).not.toContain('ClusterRoleBinding');
  });
});

describe('the observability profile (the trace store)', () => {
  const cluster = loadCluster('observability');
  const jaeger = cluster.workloads.filter(isDeployment).find((workload) => nameOf(workload) === 'jaeger-depl');
  const configMap = (name: string) =>
    manifests.find(({ object }) => object.kind === 'ConfigMap' && (object.metadata as { name?: string }).name === name)?.object
      .data as Record<string, string>;

  it("has every service send its spans to the trace store's OTLP port, through a ConfigMap that only this profile deploys", () => {
    const endpoint = new URL(configMap('observability-config').OTEL_EXPORTER_OTLP_ENDPOINT);
    const service = manifests.find(
      ({ object }) => object.kind === 'Service' && (object.metadata as { name?: string }).name === endpoint.hostname,
    );
    const servicePorts = (service?.object.spec as { ports: { port: number }[] }).ports.map((port) => port.port);
    expect(servicePorts).toContain(Number(endpoint.port));
    expect(configMap('jaeger-config')['jaeger.yaml']).toContain(`endpoint: 0.0.0.0:${endpoint.port}`);
    const deployments: IDeployment[] = loadCluster().workloads.filter(isDeployment);
    for (const name of services) {
      const refs = deployments
        .find((workload) => nameOf(workload) === `${name}-depl`)
        ?.spec?.template.spec?.containers.flatMap((container) => container.envFrom ?? [])
        .map((source) => source.configMapRef);
      expect({ name, ref: refs?.find((ref) => ref?.name === 'observability-config') }).toEqual({
        name,
        ref: { name: 'observability-config', optional: true },
      });
    }
  });

  it('lets the services alone reach its OTLP port', () => {
    if (!jaeger) throw new Error('no Deployment jaeger-depl');
    for (const app of services)
      expect({ app, allowed: allows(cluster, { description: app, labels: { app } }, jaeger, 4318) }).toEqual({ app, allowed: true });
    expect(allows(cluster, { description: 'a stranger', labels: { app: 'stranger' } }, jaeger, 4318)).toBe(false);
    expect(allows(cluster, { description: 'orders', labels: { app: 'orders' } }, jaeger, 16686)).toBe(false);
  });
});
