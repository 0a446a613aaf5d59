// Issue 17, part 4: `skaffold dev -p mongo-replicaset` runs each service's MongoDB as a three-member replica set.
// The profile as skaffold renders it, checked as the default deployment is, and each new check shown to fail.
import { reports } from './lib/expectations';
import { builtImages, deployedFiles, loadCluster, loadDeployedManifests, loadSkaffoldConfig, repoBuildContext } from './lib/fixtures';
import { Cluster, containersOf, describeWorkload, IContainer, isDeployment, IStatefulSet, nameOf } from './lib/kube';
import { duplicateProblems } from './lib/manifests';
import { replicaSetProblems } from './lib/mongo-replica-set';
import { natsAuthProblems } from './lib/nats-auth';
import { blockedConnectionProblems, intendedConnections, openConnectionProblems } from './lib/network';
import { jobSecurityProblems, podSecurityProblems } from './lib/pod-security';
import { imagePinProblems, persistenceProblems, podResourceProblems, volumeProblems } from './lib/pods';
import { disruptionBudgetProblems } from './lib/scaling';
import { schemaProblems, unknownFieldProblems } from './lib/schema';
import { serviceEnvProblems } from './lib/services';
import { folderSwapProblems, withProfile } from './lib/skaffold';
import { selectorProblems, serviceAddressProblems, servicePortProblems } from './lib/wiring';

const config = loadSkaffoldConfig();
const context = repoBuildContext();
const built = builtImages(config);
const swap = { from: 'infra/k8s-mongo', to: 'infra/k8s-mongo-replicaset', profile: 'mongo-replicaset' };
const databases = ['auth', 'balances', 'orders', 'payments', 'tickets'].map((name) => `${name}-mongo`);

const statefulSet = (cluster: Cluster, name: string): IStatefulSet => {
  const found = cluster.workloads.find((workload) => workload.kind === 'StatefulSet' && nameOf(workload) === name);
  if (!found || isDeployment(found) || !found.spec) throw new Error(`no StatefulSet ${name}`);
  return found;
};
const job = (cluster: Cluster, name: string) => {
  const found = cluster.jobs.find((candidate) => nameOf(candidate) === name)?.spec?.template.spec;
  if (!found) throw new Error(`no Job ${name}`);
  return found;
};
const jobContainer = (cluster: Cluster, name: string): IContainer => job(cluster, name).containers[0];
const service = (cluster: Cluster, name: string) => {
  const found = cluster.services.find((candidate) => nameOf(candidate) === name)?.spec;
  if (!found) throw new Error(`no Service ${name}`);
  return found;
};

describe('the mongo-replicaset profile', () => {
  it('deploys infra/k8s-mongo-replicaset in place of infra/k8s-mongo, alone or with the other profiles', () => {
    const profiled = (...names: string[]) => deployedFiles(names.reduce((built, name) => withProfile(built, name), config));
    expect(folderSwapProblems(profiled(), profiled('mongo-replicaset'), swap)).toEqual([]);
    expect(folderSwapProblems(profiled('jetstream', 'seed'), profiled('jetstream', 'mongo-replicaset', 'seed'), swap)).toEqual([]);
    expect(folderSwapProblems(profiled('seed'), profiled('seed', 'mongo-replicaset'), swap)).toEqual([]);
  });

  it('validates against the Kubernetes schema, with no unknown field and each kind and name once', () => {
    const manifests = loadDeployedManifests('mongo-replicaset');
    expect(schemaProblems(manifests)).toEqual([]);
    expect(unknownFieldProblems(manifests)).toEqual([]);
    expect(duplicateProblems(manifests)).toEqual([]);
  }, 60_000);

  it('runs each database as a StatefulSet of three members, formed by an init Job, behind the same Service', () => {
    const cluster = loadCluster('mongo-replicaset');
    expect(replicaSetProblems(cluster)).toEqual([]);
    const sets = cluster.workloads.filter((workload) => workload.kind === 'StatefulSet');
    expect(sets.map((workload) => `${describeWorkload(workload)} ${workload.spec?.replicas ?? 1}`).sort()).toEqual(
      databases.map((name) => `StatefulSet ${name} 3`),
    );
    expect(cluster.jobs.map(nameOf).sort()).toEqual(databases.map((name) => `${name}-init`));
    expect(
      cluster.workloads.filter((workload) => containersOf(workload).some((c) => /^mongo:/.test(c.image ?? '')) && isDeployment(workload)),
    ).toEqual([]);
    expect(replicaSetProblems(loadCluster())).toEqual([]);
  });

  it('connects each service to its own set only, and lets the members and the init Job reach each other', () => {
    const cluster = loadCluster('mongo-replicaset');
    expect(blockedConnectionProblems(cluster)).toEqual([]);
    expect(openConnectionProblems(cluster)).toEqual([]);
    const toMongo = intendedConnections(cluster)
      .filter(({ target }) => target.kind === 'StatefulSet')
      .map(({ source, target, port }) => `${source.description} -> ${nameOf(target)}:${port}`);
    expect(toMongo.sort()).toEqual(databases.map((name) => `Deployment ${name.replace(/-mongo$/, '')}-depl -> ${name}:27017`));
  });

  it('hardens the members and the init Jobs as the single instances are, with a budget that keeps a majority', () => {
    const cluster = loadCluster('mongo-replicaset');
    expect(podSecurityProblems(cluster, built)).toEqual([]);
    expect(jobSecurityProblems(cluster, built)).toEqual([]);
    expect(imagePinProblems(cluster, built)).toEqual([]);
    expect(persistenceProblems(cluster)).toEqual([]);
    expect(volumeProblems(cluster)).toEqual([]);
    expect(disruptionBudgetProblems(cluster, built)).toEqual([]);
    expect(podResourceProblems(cluster)).toEqual([]);
  });

  it('wires Services, ports and settings as the default deployment does', () => {
    const cluster = loadCluster('mongo-replicaset');
    expect(selectorProblems(cluster)).toEqual([]);
    expect(servicePortProblems(cluster)).toEqual([]);
    expect(serviceAddressProblems(cluster)).toEqual([]);
    expect(serviceEnvProblems(config, cluster, context)).toEqual([]);
    expect(natsAuthProblems(cluster)).toEqual([]);
  });
});

describe('a changed replica set', () => {
  it('of two members, or run as a Deployment, is reported', () => {
    const cluster = loadCluster('mongo-replicaset');
    const auth = statefulSet(cluster, 'auth-mongo');
    if (auth.spec) auth.spec.replicas = 2;
    reports(replicaSetProblems(cluster), 'StatefulSet auth-mongo (replica set rs0): 2 member(s); an odd number, three or more');
    reports(replicaSetProblems(cluster), 'StatefulSet auth-mongo (replica set rs0): no Job initiates it with exactly its members');

    const asDeployment = loadCluster('mongo-replicaset');
    const original = statefulSet(asDeployment, 'orders-mongo');
    if (!original.spec) throw new Error('orders-mongo has no spec');
    const { selector, template } = original.spec;
    asDeployment.workloads = asDeployment.workloads.map((workload) =>
      workload === original
        ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata: original.metadata, spec: { replicas: 3, selector, template } }
        : workload,
    );
    expect(replicaSetProblems(asDeployment)).toEqual([
      'Deployment orders-mongo (replica set rs0): runs as a Deployment, not a StatefulSet with a name and a volume per member',
    ]);
  });

  it('whose governing Service is not headless, or hides members until they are ready, is reported', () => {
    const cluster = loadCluster('mongo-replicaset');
    delete service(cluster, 'tickets-mongo-headless').clusterIP;
    service(cluster, 'payments-mongo-headless').publishNotReadyAddresses = false;
    expect(replicaSetProblems(cluster)).toEqual([
      'StatefulSet payments-mongo (replica set rs0): Service payments-mongo-headless publishes only ready members, so they cannot find each other while the set forms',
      'StatefulSet tickets-mongo (replica set rs0): its serviceName tickets-mongo-headless is no headless Service of its pods',
    ]);
  });

  it('whose init Job names another member, or another set, is reported', () => {
    const cluster = loadCluster('mongo-replicaset');
    const balances = jobContainer(cluster, 'balances-mongo-init');
    balances.command = (balances.command ?? []).map((part) => part.replace("'balances-mongo-2.", "'balances-mongo-3."));
    const orders = jobContainer(cluster, 'orders-mongo-init');
    orders.command = (orders.command ?? []).map((part) => part.replace("_id: 'rs0'", "_id: 'rs1'"));
    expect(replicaSetProblems(cluster)).toEqual([
      'StatefulSet balances-mongo (replica set rs0): no Job initiates it with exactly its members, balances-mongo-0.balances-mongo-headless:27017, balances-mongo-1.balances-mongo-headless:27017, balances-mongo-2.balances-mongo-headless:27017',
      'StatefulSet orders-mongo (replica set rs0): no Job initiates it with exactly its members, orders-mongo-0.orders-mongo-headless:27017, orders-mongo-1.orders-mongo-headless:27017, orders-mongo-2.orders-mongo-headless:27017',
    ]);
  });

  it('whose members may not replicate, or whose init Job cannot reach them, is reported; one open to all, too', () => {
    const cluster = loadCluster('mongo-replicaset');
    cluster.networkPolicies = cluster.networkPolicies.filter((policy) => nameOf(policy) !== 'auth-mongo-members-netpol');
    const problems = replicaSetProblems(cluster);
    reports(problems, 'StatefulSet auth-mongo (replica set rs0): its members cannot reach each other on 27017');
    reports(problems, 'StatefulSet auth-mongo (replica set rs0): Job auth-mongo-init cannot reach its members on 27017');

    const open = loadCluster('mongo-replicaset');
    const rule = open.networkPolicies.find((policy) => nameOf(policy) === 'tickets-mongo-members-netpol')?.spec?.ingress?.[0];
    if (!rule) throw new Error('tickets-mongo-members-netpol has no rule');
    rule.from = [];
    reports(openConnectionProblems(open), 'another pod of the namespace may reach StatefulSet tickets-mongo on port 27017');
  });

  it('whose init Job runs as root, or writes its root filesystem, is reported', () => {
    const cluster = loadCluster('mongo-replicaset');
    const pod = job(cluster, 'payments-mongo-init');
    pod.securityContext = { ...pod.securityContext, runAsUser: 0 };
    const container = jobContainer(cluster, 'payments-mongo-init');
    if (container.securityContext) container.securityContext.readOnlyRootFilesystem = false;
    container.volumeMounts = [];
    const problems = jobSecurityProblems(cluster, built);
    reports(problems, 'Job payments-mongo-init container init: runs as user 0');
    reports(problems, 'Job payments-mongo-init container init: readOnlyRootFilesystem is not true');
    reports(problems, 'Job payments-mongo-init container init: writes /tmp, which is on no writable volume');
  });
});
