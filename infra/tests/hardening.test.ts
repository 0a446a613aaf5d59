// Issue 12, item 9: each hardening property of the cluster, checked on the real
// manifests, and each check shown to fail on a copy that lacks the property.
import { loadCluster, loadSkaffoldConfig, repoBuildContext } from './lib/fixtures';
import { readHealthEndpoints } from './lib/health';
import { Cluster, IContainer, nameOf } from './lib/kube';
import { readRepoFile } from './lib/repo';
import { serviceProbeProblems } from './lib/services';

const context = repoBuildContext();
const config = loadSkaffoldConfig();

const reports = (problems: string[], fragment: string) =>
  expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));

const container = (cluster: Cluster, deploymentName: string): IContainer => {
  const found = cluster.deployments.find((deployment) => nameOf(deployment) === deploymentName)?.spec?.template.spec
    ?.containers[0];
  if (!found) throw new Error(`no Deployment ${deploymentName} with a container`);
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
