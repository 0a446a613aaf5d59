// Issue 17, part 4: the stateless services scale out. Each property checked on the manifests of every profile,
// and each check shown to fail on a copy that lacks it.
import { deployment, reports } from './lib/expectations';
import { builtImages, loadCluster, loadSkaffoldConfig } from './lib/fixtures';
import { Cluster, containersOf, IContainer, nameOf } from './lib/kube';
import { podResourceProblems } from './lib/pods';
import {
  autoscaledNames,
  autoscalerProblems,
  disruptionBudgetProblems,
  replicaFloor,
  replicaProblems,
  rolloutProblems,
  spreadProblems,
  statelessWorkloads,
} from './lib/scaling';

const built = builtImages(loadSkaffoldConfig());
const stateless = ['auth', 'tickets', 'orders', 'payments', 'balances', 'expiration', 'live', 'queue', 'client'].map(
  (name) => `${name}-depl`,
);
/** The services an on-sale rush loads. */
const rushed = ['live-depl', 'orders-depl', 'payments-depl', 'queue-depl', 'tickets-depl'];

const container = (cluster: Cluster, name: string): IContainer => {
  const found = containersOf(deployment(cluster, name))[0];
  if (!found) throw new Error(`Deployment ${name} has no container`);
  return found;
};
const budget = (cluster: Cluster, name: string) => {
  const found = cluster.disruptionBudgets.find((candidate) => nameOf(candidate) === name);
  if (!found?.spec) throw new Error(`no PodDisruptionBudget ${name}`);
  return found.spec;
};
const autoscaler = (cluster: Cluster, name: string) => {
  const found = cluster.autoscalers.find((candidate) => nameOf(candidate) === name);
  if (!found?.spec) throw new Error(`no HorizontalPodAutoscaler ${name}`);
  return found.spec;
};

describe.each([[[]], [['jetstream']], [['production', 'jetstream']], [['mongo-replicaset', 'jetstream']]])(
  'the cluster of profiles %j',
  (profiles: string[]) => {
    const cluster = loadCluster(...profiles);

    it('runs every stateless service, and only those, as at least two pods', () => {
      expect(statelessWorkloads(cluster, built).map(nameOf).sort()).toEqual([...stateless].sort());
      expect(replicaProblems(cluster, built)).toEqual([]);
      expect(stateless.map((name) => replicaFloor(cluster, deployment(cluster, name)))).toEqual(stateless.map(() => 2));
    });

    it('rolls out one surge pod at a time and never takes one away before its successor is ready', () => {
      expect(rolloutProblems(cluster, built)).toEqual([]);
    });

    it('prefers to put the pods of each service on different nodes', () => {
      expect(spreadProblems(cluster, built)).toEqual([]);
    });

    it('gives each stateless service one PodDisruptionBudget that lets one pod go at a time', () => {
      expect(disruptionBudgetProblems(cluster, built)).toEqual([]);
      expect(cluster.disruptionBudgets.map((pdb) => `${nameOf(pdb)} ${JSON.stringify(pdb.spec?.maxUnavailable)}`).sort()).toEqual(
        [
          ...stateless.map((name) => name.replace(/-depl$/, '-pdb')),
          // The replica sets' own: one member of three at a time.
          ...(profiles.includes('mongo-replicaset')
            ? ['auth', 'balances', 'orders', 'payments', 'tickets'].map((name) => `${name}-mongo-pdb`)
            : []),
          // JetStream's three servers: one at a time, two keep the majority.
          ...(profiles.includes('jetstream') ? ['nats-pdb'] : []),
        ]
          .map((name) => `${name} 1`)
          .sort(),
      );
    });

    it('autoscales the services a rush loads on CPU, each with a CPU request on every container', () => {
      expect(autoscalerProblems(cluster)).toEqual([]);
      expect(autoscaledNames(cluster)).toEqual(rushed);
    });

    it('gives every container of every workload CPU and memory requests and limits', () => {
      expect(podResourceProblems(cluster)).toEqual([]);
    });
  },
);

describe('a stateless service', () => {
  it('left at one pod, or with a replicas field under its autoscaler, is reported', () => {
    const cluster = loadCluster();
    const auth = deployment(cluster, 'auth-depl');
    if (auth.spec) auth.spec.replicas = 1;
    delete deployment(cluster, 'client-depl').spec?.replicas;
    const orders = deployment(cluster, 'orders-depl');
    if (orders.spec) orders.spec.replicas = 2;
    autoscaler(cluster, 'tickets-hpa').minReplicas = 1;
    const problems = replicaProblems(cluster, built);
    reports(problems, 'Deployment auth-depl: runs 1 pod(s) at the least, fewer than 2');
    reports(problems, 'Deployment client-depl: runs 1 pod(s) at the least');
    reports(problems, 'Deployment orders-depl: sets replicas, which every apply would reset under HorizontalPodAutoscaler orders-hpa');
    reports(problems, 'Deployment tickets-depl: runs 1 pod(s) at the least');
    expect(problems).toHaveLength(4);
  });

  it("whose autoscaler is gone falls back to the Deployment's own count", () => {
    const cluster = loadCluster();
    cluster.autoscalers = cluster.autoscalers.filter((candidate) => nameOf(candidate) !== 'live-hpa');
    expect(replicaProblems(cluster, built)).toEqual(['Deployment live-depl: runs 1 pod(s) at the least, fewer than 2']);
  });

  it('that a rollout may take pods from, or recreates, or cannot surge, is reported', () => {
    const cluster = loadCluster();
    const balances = deployment(cluster, 'balances-depl').spec;
    if (balances) balances.strategy = { type: 'RollingUpdate' };
    const expiration = deployment(cluster, 'expiration-depl').spec;
    if (expiration) expiration.strategy = { type: 'Recreate' };
    const payments = deployment(cluster, 'payments-depl').spec;
    if (payments) payments.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } };
    delete container(cluster, 'client-depl').readinessProbe;
    expect(rolloutProblems(cluster, built)).toEqual([
      'Deployment balances-depl: a rollout may take pods away (maxUnavailable is not 0)',
      'Deployment balances-depl: a rollout cannot add a pod first (maxSurge is not set above 0)',
      'Deployment client-depl container client: no readinessProbe, so a pod counts as ready at once',
      'Deployment expiration-depl: strategy Recreate stops every pod before starting new ones',
      'Deployment payments-depl: a rollout cannot add a pod first (maxSurge is not set above 0)',
    ]);
  });

  it('whose pods may crowd onto one node, or whose anti-affinity names other pods, is reported', () => {
    const cluster = loadCluster();
    delete deployment(cluster, 'orders-depl').spec?.template.spec?.affinity;
    const term = deployment(cluster, 'live-depl').spec?.template.spec?.affinity?.podAntiAffinity
      ?.preferredDuringSchedulingIgnoredDuringExecution?.[0].podAffinityTerm;
    if (!term) throw new Error('live-depl has no preferred anti-affinity');
    term.labelSelector = { matchLabels: { app: 'orders' } };
    const tickets = deployment(cluster, 'tickets-depl').spec?.template.spec?.affinity?.podAntiAffinity
      ?.preferredDuringSchedulingIgnoredDuringExecution?.[0].podAffinityTerm;
    if (!tickets) throw new Error('tickets-depl has no preferred anti-affinity');
    tickets.topologyKey = 'topology.kubernetes.io/zone';
    expect(spreadProblems(cluster, built)).toEqual(
      ['live-depl', 'orders-depl', 'tickets-depl'].map(
        (name) => `Deployment ${name}: its pods are not spread across nodes (no anti-affinity to its own pods on kubernetes.io/hostname)`,
      ),
    );
  });

  it('spread by a topology spread constraint on the hostname counts as spread', () => {
    const cluster = loadCluster();
    const pod = deployment(cluster, 'auth-depl').spec?.template.spec;
    if (!pod) throw new Error('auth-depl has no pod spec');
    delete pod.affinity;
    pod.topologySpreadConstraints = [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { app: 'auth' } },
      },
    ];
    expect(spreadProblems(cluster, built)).toEqual([]);
  });
});

describe('a PodDisruptionBudget', () => {
  it('missing, or two over one service, is reported', () => {
    const cluster = loadCluster();
    cluster.disruptionBudgets = cluster.disruptionBudgets.filter((candidate) => nameOf(candidate) !== 'expiration-pdb');
    cluster.disruptionBudgets.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'payments-pdb-2' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'payments' } } },
    });
    const problems = disruptionBudgetProblems(cluster, built);
    reports(problems, 'Deployment expiration-depl: no PodDisruptionBudget selects its pods');
    reports(
      problems,
      'Deployment payments-depl: PodDisruptionBudget payments-pdb and PodDisruptionBudget payments-pdb-2 both select its pods',
    );
  });

  it("that selects another service's pods, several services' or none is reported", () => {
    const cluster = loadCluster();
    budget(cluster, 'auth-pdb').selector = { matchLabels: { app: 'tickets' } };
    budget(cluster, 'client-pdb').selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['client', 'expiration'] }] };
    budget(cluster, 'live-pdb').selector = { matchLabels: { app: 'websocket' } };
    const problems = disruptionBudgetProblems(cluster, built);
    reports(problems, 'Deployment auth-depl: no PodDisruptionBudget selects its pods');
    reports(problems, 'Deployment tickets-depl: PodDisruptionBudget auth-pdb and PodDisruptionBudget tickets-pdb both select its pods');
    reports(problems, 'PodDisruptionBudget client-pdb: selects the pods of Deployment client-depl and Deployment expiration-depl');
    reports(
      problems,
      'Deployment expiration-depl: PodDisruptionBudget client-pdb and PodDisruptionBudget expiration-pdb both select its pods',
    );
    reports(problems, 'PodDisruptionBudget live-pdb: selects no workload');
  });

  it('that would hang a node drain, or let every pod go, or counts in percent, is reported', () => {
    const cluster = loadCluster();
    const orders = budget(cluster, 'orders-pdb');
    delete orders.maxUnavailable;
    orders.minAvailable = 2;
    budget(cluster, 'balances-pdb').maxUnavailable = 2;
    budget(cluster, 'auth-pdb').maxUnavailable = 0;
    budget(cluster, 'tickets-pdb').maxUnavailable = '50%';
    expect(disruptionBudgetProblems(cluster, built)).toEqual([
      'Deployment auth-depl: PodDisruptionBudget auth-pdb lets no pod go at 2 pod(s), so a node drain would hang',
      'Deployment balances-depl: PodDisruptionBudget balances-pdb lets all 2 pod(s) go at once, so it protects nothing',
      'Deployment orders-depl: PodDisruptionBudget orders-pdb lets no pod go at 2 pod(s), so a node drain would hang',
      'Deployment tickets-depl: PodDisruptionBudget tickets-pdb sets neither maxUnavailable nor minAvailable as a count',
    ]);
  });

  it('over a single database pod is reported: it could only hang every node drain, or protect nothing', () => {
    const cluster = loadCluster('jetstream');
    const single = (name: string, app: string, limit: { minAvailable: number } | { maxUnavailable: number }) =>
      cluster.disruptionBudgets.push({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name },
        spec: { ...limit, selector: { matchLabels: { app } } },
      });
    // The profile's NATS as a single server, as it once was.
    cluster.disruptionBudgets = cluster.disruptionBudgets.filter((budget) => nameOf(budget) !== 'nats-pdb');
    const nats = cluster.workloads.find((workload) => nameOf(workload) === 'nats');
    if (!nats?.spec) throw new Error('no StatefulSet nats');
    nats.spec.replicas = 1;
    single('auth-mongo-pdb', 'auth-mongo', { minAvailable: 1 });
    single('nats-pdb', 'nats', { maxUnavailable: 1 });
    expect(disruptionBudgetProblems(cluster, built)).toEqual([
      'Deployment auth-mongo-depl: PodDisruptionBudget auth-mongo-pdb lets no pod go at 1 pod(s), so a node drain would hang',
      'StatefulSet nats: PodDisruptionBudget nats-pdb lets all 1 pod(s) go at once, so it protects nothing',
    ]);
  });
});

describe('a HorizontalPodAutoscaler', () => {
  it('of a Deployment that does not exist, or of a StatefulSet, is reported', () => {
    const cluster = loadCluster('jetstream');
    autoscaler(cluster, 'orders-hpa').scaleTargetRef.name = 'order-depl';
    const payments = autoscaler(cluster, 'payments-hpa').scaleTargetRef;
    payments.kind = 'StatefulSet';
    payments.name = 'nats';
    const problems = autoscalerProblems(cluster);
    reports(problems, 'HorizontalPodAutoscaler orders-hpa: scales apps/v1 Deployment order-depl, which does not exist');
    reports(problems, 'HorizontalPodAutoscaler payments-hpa: scales StatefulSet nats, not a stateless Deployment');
    expect(autoscaledNames(cluster)).toEqual(['live-depl', 'nats', 'queue-depl', 'tickets-depl']);
  });

  it('of a container without a CPU request, or on another metric, is reported', () => {
    const cluster = loadCluster();
    delete container(cluster, 'live-depl').resources?.requests?.cpu;
    autoscaler(cluster, 'tickets-hpa').metrics = [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } },
    ];
    const problems = autoscalerProblems(cluster);
    reports(
      problems,
      'HorizontalPodAutoscaler live-hpa: Deployment live-depl container live has no CPU request to measure utilization against',
    );
    reports(problems, 'HorizontalPodAutoscaler tickets-hpa: does not scale on an average CPU utilization between 1 and 100%');
  });

  it('that cannot grow, or a second one over a Deployment, is reported', () => {
    const cluster = loadCluster();
    autoscaler(cluster, 'payments-hpa').maxReplicas = 2;
    const second = structuredClone(cluster.autoscalers.find((candidate) => nameOf(candidate) === 'orders-hpa'));
    if (!second?.metadata) throw new Error('no orders-hpa');
    second.metadata.name = 'orders-hpa-2';
    cluster.autoscalers.push(second);
    const problems = autoscalerProblems(cluster);
    reports(problems, 'HorizontalPodAutoscaler payments-hpa: maxReplicas leaves no room above minReplicas 2');
    reports(
      problems,
      'HorizontalPodAutoscaler orders-hpa-2: Deployment orders-depl is already scaled by HorizontalPodAutoscaler orders-hpa',
    );
  });
});
