import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { builtImages, deployedFiles, loadCluster, loadSkaffoldConfig } from './lib/fixtures';
import { isDeployment, nameOf } from './lib/kube';
import { loadManifests } from './lib/manifests';
import { allows } from './lib/network';
import { podSecurityProblems } from './lib/pod-security';
import { listRepoFiles, readRepoFile } from './lib/repo';
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
  const zipkin = cluster.workloads.filter(isDeployment).find((workload) => nameOf(workload) === 'zipkin-depl');
  const configMap = (name: string) =>
    manifests.find(({ object }) => object.kind === 'ConfigMap' && (object.metadata as { name?: string }).name === name)?.object
      .data as Record<string, string>;
  const zipkinContainer = () => {
    const container = zipkin?.spec?.template.spec?.containers.find((each) => each.name === 'zipkin');
    if (!container) throw new Error('no Deployment zipkin-depl with a container zipkin');
    return container;
  };

  it("has every service send its spans to Zipkin's collector, through a ConfigMap that only this profile deploys", () => {
    const observability = configMap('observability-config');
    expect(observability.OTEL_TRACES_EXPORTER).toBe('zipkin');
    const endpoint = new URL(observability.OTEL_EXPORTER_ZIPKIN_ENDPOINT);
    expect(endpoint.pathname).toBe('/api/v2/spans');
    const service = manifests.find(
      ({ object }) => object.kind === 'Service' && (object.metadata as { name?: string }).name === endpoint.hostname,
    );
    const servicePorts = (service?.object.spec as { ports: { port: number; targetPort: number }[] }).ports;
    const routed = servicePorts.find((port) => port.port === Number(endpoint.port));
    expect(zipkinContainer().ports?.map((port) => port.containerPort)).toContain(routed?.targetPort);
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

  it('runs the Zipkin release whose jar `npm start -- --observe` runs, keeping its spans in memory within its limit', () => {
    const container = zipkinContainer();
    const installScript = readRepoFile('local/scripts/install-tools.sh');
    const version = /^ZIPKIN_VERSION=(.+)$/m.exec(installScript)?.[1];
    expect(container.image).toBe(`openzipkin/zipkin:${version}`);
    const env = Object.fromEntries((container.env ?? []).map(({ name, value }) => [name, value]));
    expect(env.STORAGE_TYPE).toBe('mem');
    const heapMiB = Number(/-Xmx(\d+)m/.exec(env.JAVA_OPTS ?? '')?.[1]);
    const limitMiB = Number(/^(\d+)Gi$/.exec(String(container.resources?.limits?.memory))?.[1]) * 1024;
    expect(heapMiB).toBeGreaterThan(0);
    expect(heapMiB).toBeLessThan(limitMiB);
  });

  it('runs locked down like the other third-party pods: its image’s own user, no capabilities, a read-only root', () => {
    const problems = podSecurityProblems(cluster, builtImages(config));
    expect(problems.filter((problem) => problem.startsWith('Deployment zipkin-depl '))).toEqual([]);
    expect(zipkinContainer().resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
  });

  it('lets the services alone reach its port', () => {
    if (!zipkin) throw new Error('no Deployment zipkin-depl');
    for (const app of services)
      expect({ app, allowed: allows(cluster, { description: app, labels: { app } }, zipkin, 9411) }).toEqual({ app, allowed: true });
    expect(allows(cluster, { description: 'a stranger', labels: { app: 'stranger' } }, zipkin, 9411)).toBe(false);
  });
});
