// Issue 12, item 9: each hardening property of the cluster, checked on the real
// manifests, and each check shown to fail on a copy that lacks the property.
import { builtImages, loadCluster, loadSkaffoldConfig, repoBuildContext } from './lib/fixtures';
import { readHealthEndpoints } from './lib/health';
import { Cluster, IContainer, IDeployment, nameOf } from './lib/kube';
import { podSecurityProblems } from './lib/pod-security';
import { imagePinProblems } from './lib/pods';
import { readRepoFile } from './lib/repo';
import { serviceProbeProblems } from './lib/services';

const context = repoBuildContext();
const config = loadSkaffoldConfig();

const reports = (problems: string[], fragment: string) =>
  expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));

const built = builtImages(config);

const deployment = (cluster: Cluster, name: string): IDeployment => {
  const found = cluster.deployments.find((candidate) => nameOf(candidate) === name);
  if (!found) throw new Error(`no Deployment ${name}`);
  return found;
};
const podSpec = (cluster: Cluster, name: string) => {
  const spec = deployment(cluster, name).spec?.template.spec;
  if (!spec) throw new Error(`Deployment ${name} has no pod spec`);
  return spec;
};
const container = (cluster: Cluster, name: string): IContainer => {
  const found = podSpec(cluster, name).containers[0];
  if (!found) throw new Error(`Deployment ${name} has no container`);
  return found;
};

describe('liveness', () => {
  const createAppFile = 'common/src/service/create-app.ts';
  const createAppSource = readRepoFile(createAppFile);
  const endpoints = readHealthEndpoints(createAppFile, createAppSource);

  it('is a createApp endpoint apart from readiness, which alone asks isReady (Mongo, Redis)', () => {
    expect(endpoints).toEqual({ readiness: '/healthz', liveness: '/livez' });
  });

  it('probed at the readiness endpoint is reported: a database outage would restart every pod', () => {
    const cluster = loadCluster();
    const probe = container(cluster, 'payments-depl').livenessProbe?.httpGet;
    if (!probe) throw new Error('payments-depl has no HTTP liveness probe');
    probe.path = '/healthz';
    reports(
      serviceProbeProblems(config, cluster, context, 3000, endpoints),
      'container payments: livenessProbe is not GET /livez on port 3000; /healthz fails while the database is down',
    );
  });

  it('whose handler starts asking isReady is no liveness endpoint any more', () => {
    const changed = createAppSource.replace("res.send({ status: 'alive' });", "res.status(isReady() ? 200 : 503).send({});");
    expect(changed).not.toBe(createAppSource);
    expect(() => readHealthEndpoints(createAppFile, changed)).toThrow('no app.get route answers without isReady (liveness)');
  });

  it('stands in for the start-up probe too, which the server answers once its backing services are connected', () => {
    const cluster = loadCluster();
    const probe = container(cluster, 'orders-depl').startupProbe?.httpGet;
    if (!probe) throw new Error('orders-depl has no HTTP startup probe');
    probe.path = '/healthz';
    reports(serviceProbeProblems(config, cluster, context, 3000, endpoints), 'container orders: startupProbe is not GET /livez');
  });
});

describe('the pods of the databases, NATS and Redis', () => {
  it("run as their image's unprivileged user, with no capabilities, seccomp, a read-only root and volumes for what they write", () => {
    expect(podSecurityProblems(loadCluster(), built)).toEqual([]);
  });

  it('run images pinned to a patch release', () => {
    const cluster = loadCluster();
    expect(imagePinProblems(cluster, built)).toEqual([]);
    const images = cluster.deployments.flatMap((d) => d.spec?.template.spec?.containers ?? []).map((c) => c.image ?? '');
    expect(images.filter((image) => !built.has(image)).sort()).toEqual([
      'mongo:7.0.16',
      'mongo:7.0.16',
      'mongo:7.0.16',
      'mongo:7.0.16',
      'nats-streaming:0.25.6',
      'redis:7.4.2-alpine',
    ]);
  });

  it('running as root, or without their securityContext, are reported', () => {
    const cluster = loadCluster();
    const mongo = podSpec(cluster, 'tickets-mongo-depl');
    mongo.securityContext = { ...mongo.securityContext, runAsUser: 0 };
    delete container(cluster, 'expiration-redis-depl').securityContext;
    delete podSpec(cluster, 'nats-depl').securityContext;
    const problems = podSecurityProblems(cluster, built);
    reports(problems, 'Deployment tickets-mongo-depl container mongo: runs as user 0');
    reports(problems, "Deployment tickets-mongo-depl container mongo: runs as user 0, not the image's own 999");
    reports(problems, 'Deployment expiration-redis-depl container redis: allowPrivilegeEscalation is not false');
    reports(problems, 'Deployment expiration-redis-depl container redis: does not drop ALL capabilities');
    reports(problems, 'Deployment expiration-redis-depl container redis: readOnlyRootFilesystem is not true');
    reports(problems, 'Deployment nats-depl container nats: runAsNonRoot is not true');
    reports(problems, 'Deployment nats-depl container nats: seccompProfile is not RuntimeDefault');
    reports(problems, 'Deployment nats-depl container nats: no fsGroup');
  });

  it('with a read-only root but nowhere to write, or a token mounted, are reported', () => {
    const cluster = loadCluster();
    const mongo = container(cluster, 'payments-mongo-depl');
    mongo.volumeMounts = (mongo.volumeMounts ?? []).filter((mount) => mount.mountPath !== '/tmp');
    podSpec(cluster, 'auth-mongo-depl').automountServiceAccountToken = true;
    const problems = podSecurityProblems(cluster, built);
    reports(problems, 'Deployment payments-mongo-depl container mongo: writes /tmp, which is on no writable volume');
    reports(problems, 'Deployment auth-mongo-depl container mongo: mounts a service account token it never uses');
  });

  it('of an image nobody has locked down yet is reported', () => {
    const cluster = loadCluster();
    container(cluster, 'expiration-redis-depl').image = 'valkey/valkey:8.0.1';
    reports(podSecurityProblems(cluster, built), 'valkey/valkey:8.0.1 has no entry in imageLockdowns');
  });

  it('on a floating tag is reported: latest, or a major or minor line', () => {
    const cluster = loadCluster();
    container(cluster, 'orders-mongo-depl').image = 'mongo:7.0';
    container(cluster, 'expiration-redis-depl').image = 'redis:7-alpine';
    container(cluster, 'nats-depl').image = 'nats-streaming:latest';
    expect(imagePinProblems(cluster, built)).toEqual([
      'Deployment expiration-redis-depl: image redis:7-alpine is pinned to 7-alpine, which moves with each release; pin a patch release',
      'Deployment nats-depl: image nats-streaming:latest is neither built by skaffold nor pinned to a tag',
      'Deployment orders-mongo-depl: image mongo:7.0 is pinned to 7.0, which moves with each release; pin a patch release',
    ]);
  });

  it('that are ours stay unprivileged too', () => {
    const cluster = loadCluster();
    const client = container(cluster, 'client-depl');
    if (client.securityContext) client.securityContext.allowPrivilegeEscalation = true;
    expect(podSecurityProblems(cluster, built)).toEqual([
      'Deployment client-depl container client: allowPrivilegeEscalation is not false',
    ]);
  });
});
