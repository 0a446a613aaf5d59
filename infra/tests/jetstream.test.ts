// Issue 17, part 4: `skaffold dev -p jetstream` runs the event bus on NATS JetStream. The profile as skaffold
// renders it, checked as the default deployment is, and each new check shown to fail on a changed copy.
import { artifactFolder } from './lib/artifacts';
import { reports } from './lib/expectations';
import { builtImages, deployedFiles, loadCluster, loadDeployedManifests, loadSkaffoldConfig, repoBuildContext } from './lib/fixtures';
import { eventBusProblems, jetStreamClusterProblems, jetStreamServerProblems, transportOf } from './lib/event-bus';
import { Cluster, containersOf, describeWorkload, findConfigMap, IContainer, isDeployment, IStatefulSet, nameOf } from './lib/kube';
import { duplicateProblems } from './lib/manifests';
import { natsAuthorizationProblems, natsAuthProblems, natsServers } from './lib/nats-auth';
import { expectedNatsAuthorization } from './lib/nats-users';
import { blockedConnectionProblems, intendedConnections, openConnectionProblems } from './lib/network';
import { podSecurityProblems } from './lib/pod-security';
import { imagePinProblems, persistenceProblems, podResourceProblems, volumeProblems } from './lib/pods';
import { readRepoFile } from './lib/repo';
import { schemaProblems, unknownFieldProblems } from './lib/schema';
import { plaintextSecretProblems } from './lib/secrets';
import { readServiceRequirements } from './lib/service-env';
import { serviceArtifacts, serviceEnvProblems, serviceProbeProblems } from './lib/services';
import { folderSwapProblems, SkaffoldConfig, withProfile } from './lib/skaffold';
import { natsClusterProblems, selectorProblems, serviceAddressProblems, servicePortProblems } from './lib/wiring';

const config = loadSkaffoldConfig();
const context = repoBuildContext();
const built = builtImages(config);
const swap = { from: 'infra/k8s-nats-streaming', to: 'infra/k8s-jetstream', profile: 'jetstream' };

/** The images whose index.ts connects to the event bus (runService's eventBus). */
const busImages = new Set(
  serviceArtifacts(config, context)
    .filter((artifact) => {
      const entry = `${artifactFolder(artifact)}/src/index.ts`;
      return readServiceRequirements(entry, readRepoFile(entry)).eventBus;
    })
    .map((artifact) => artifact.image),
);

const natsStatefulSet = (cluster: Cluster): IStatefulSet => {
  const found = cluster.workloads.find((workload) => workload.kind === 'StatefulSet' && nameOf(workload) === 'nats');
  if (!found || isDeployment(found)) throw new Error('no StatefulSet nats');
  return found;
};
const natsContainer = (cluster: Cluster): IContainer => {
  const found = containersOf(natsStatefulSet(cluster))[0];
  if (!found) throw new Error('StatefulSet nats has no container');
  return found;
};
const serviceContainer = (cluster: Cluster, name: string): IContainer => {
  const found = cluster.workloads.find((workload) => nameOf(workload) === name);
  const first = found && containersOf(found)[0];
  if (!first) throw new Error(`no workload ${name} with a container`);
  return first;
};
const transports = (cluster: Cluster) =>
  cluster.workloads
    .flatMap((workload) =>
      containersOf(workload)
        .filter((container) => busImages.has(container.image ?? ''))
        .map((container) => `${nameOf(workload)} ${transportOf(container, cluster)}`),
    )
    .sort();

describe('the jetstream profile', () => {
  const profiles = (...names: string[]): SkaffoldConfig => names.reduce((profiled, name) => withProfile(profiled, name), config);

  it('deploys infra/k8s-jetstream in place of infra/k8s-nats-streaming, alone or combined with the other profiles', () => {
    expect(folderSwapProblems(deployedFiles(config), deployedFiles(profiles('jetstream')), swap)).toEqual([]);
    expect(folderSwapProblems(deployedFiles(profiles('seed')), deployedFiles(profiles('seed', 'jetstream')), swap)).toEqual([]);
    expect(folderSwapProblems(deployedFiles(profiles('seed')), deployedFiles(profiles('jetstream', 'seed')), swap)).toEqual([]);
    expect(deployedFiles(profiles('production', 'jetstream'))).toEqual(deployedFiles(profiles('jetstream')));
  });

  it('is rendered by name: a profile skaffold.yaml does not have is an error, not the default deployment', () => {
    expect(() => loadCluster('jetstreams')).toThrow('skaffold.yaml has no profile jetstreams');
  });

  it('validates against the Kubernetes schema, with no unknown field and each kind and name once', () => {
    const manifests = loadDeployedManifests('jetstream');
    expect(schemaProblems(manifests)).toEqual([]);
    expect(unknownFieldProblems(manifests)).toEqual([]);
    expect(duplicateProblems(manifests)).toEqual([]);
  }, 60_000);

  it('runs NATS as a StatefulSet, JetStream on, its store on a volume claim template, on a pinned nats 2.10/2.11 alpine image', () => {
    const cluster = loadCluster('jetstream');
    expect(jetStreamServerProblems(cluster)).toEqual([]);
    expect(natsServers(cluster).map(describeWorkload)).toEqual(['StatefulSet nats']);
    expect(natsContainer(cluster).image).toMatch(/^nats:2\.1[01]\.\d+-alpine$/);
    expect(natsStatefulSet(cluster).spec?.volumeClaimTemplates?.map((template) => template.metadata?.name)).toEqual(['data']);
  });

  it('runs three servers routed to each other, one per node, a budget keeping two, the route port open to them only, the stream at R3', () => {
    const cluster = loadCluster('jetstream');
    expect(jetStreamClusterProblems(cluster)).toEqual([]);
    expect(natsStatefulSet(cluster).spec?.replicas).toBe(3);
    expect(findConfigMap(cluster, 'nats-config')?.data?.JETSTREAM_REPLICAS).toBe('3');
  });

  it('sets EVENT_BUS=jetstream for every service that uses the event bus, which skaffold dev leaves on NATS Streaming', () => {
    const users = ['balances-depl', 'expiration-depl', 'live-depl', 'orders-depl', 'payments-depl', 'queue-depl', 'tickets-depl'];
    expect(transports(loadCluster('jetstream'))).toEqual(users.map((name) => `${name} jetstream`));
    expect(transports(loadCluster())).toEqual(users.map((name) => `${name} nats-streaming`));
    expect(eventBusProblems(loadCluster('jetstream'), busImages)).toEqual([]);
    expect(eventBusProblems(loadCluster(), busImages)).toEqual([]);
  });

  it('admits to JetStream exactly the services that use the event bus, through the same NetworkPolicies', () => {
    const cluster = loadCluster('jetstream');
    expect(blockedConnectionProblems(cluster)).toEqual([]);
    expect(openConnectionProblems(cluster)).toEqual([]);
    const toNats = intendedConnections(cluster)
      .filter(({ target }) => target === natsStatefulSet(cluster))
      .map(({ source, port }) => `${source.description} -> ${port}`);
    expect(toNats.sort()).toEqual(
      ['balances-depl', 'expiration-depl', 'live-depl', 'orders-depl', 'payments-depl', 'queue-depl', 'tickets-depl'].map(
        (name) => `Deployment ${name} -> 4222`,
      ),
    );
  });

  it("hardens the NATS pod as the other third-party pods, and demands each service's own user from nats-secret", () => {
    const cluster = loadCluster('jetstream');
    expect(podSecurityProblems(cluster, built)).toEqual([]);
    expect(natsAuthProblems(cluster)).toEqual([]);
    expect(natsAuthorizationProblems(cluster, expectedNatsAuthorization())).toEqual([]);
    expect(imagePinProblems(cluster, built)).toEqual([]);
  });

  it('wires Services, ports, settings and probes as the default deployment does', () => {
    const cluster = loadCluster('jetstream');
    expect(selectorProblems(cluster)).toEqual([]);
    expect(servicePortProblems(cluster)).toEqual([]);
    expect(serviceAddressProblems(cluster)).toEqual([]);
    expect(natsClusterProblems(cluster)).toEqual([]);
    expect(serviceEnvProblems(config, cluster, context)).toEqual([]);
    expect(serviceProbeProblems(config, cluster, context, 3000)).toEqual([]);
    expect(podResourceProblems(cluster)).toEqual([]);
    expect(persistenceProblems(cluster)).toEqual([]);
    expect(volumeProblems(cluster)).toEqual([]);
    expect(plaintextSecretProblems(cluster)).toEqual([]);
  });
});

describe('a changed jetstream profile', () => {
  const serverConfigOf = (cluster: Cluster) => {
    const serverConfig = findConfigMap(cluster, 'nats-server-config');
    if (!serverConfig?.data) throw new Error('no ConfigMap nats-server-config');
    return serverConfig.data;
  };

  it('with an even or single server count, or routes that miss a member, is reported', () => {
    const even = loadCluster('jetstream');
    const spec = natsStatefulSet(even).spec;
    if (!spec) throw new Error('StatefulSet nats has no spec');
    spec.replicas = 4;
    expect(jetStreamClusterProblems(even)).toEqual(['StatefulSet nats: 4 servers; a JetStream cluster needs an odd number, at least 3']);
    spec.replicas = 1;
    expect(jetStreamClusterProblems(even)).toEqual(['StatefulSet nats: 1 servers; a JetStream cluster needs an odd number, at least 3']);

    const routes = loadCluster('jetstream');
    const data = serverConfigOf(routes);
    data['nats.conf'] = data['nats.conf'].replace('nats://nats-2.nats-headless:6222', 'nats://nats-3.nats-headless:6222');
    expect(jetStreamClusterProblems(routes)).toEqual([
      'StatefulSet nats: the routes do not name nats://nats-2.nats-headless:6222',
      'StatefulSet nats: the route nats://nats-3.nats-headless:6222 names no member',
    ]);
    data['nats.conf'] = data['nats.conf'].replace(/^cluster \{[\s\S]*?^\}\n/m, '');
    expect(jetStreamClusterProblems(routes)).toEqual([
      'StatefulSet nats: nats.conf has no cluster block, so its servers never route to each other',
    ]);
  });

  it('whose servers share a name, may share a node, or may all be drained at once, is reported', () => {
    const cluster = loadCluster('jetstream');
    const nats = natsContainer(cluster);
    nats.env = (nats.env ?? []).filter((env) => env.name !== 'POD_NAME');
    delete natsStatefulSet(cluster).spec?.template.spec?.affinity;
    cluster.disruptionBudgets = cluster.disruptionBudgets.filter((budget) => nameOf(budget) !== 'nats-pdb');
    expect(jetStreamClusterProblems(cluster)).toEqual([
      "StatefulSet nats: server_name is not the pod's own name (a fieldRef to metadata.name)",
      'StatefulSet nats: two servers may share a node (no required anti-affinity on kubernetes.io/hostname)',
      'StatefulSet nats: no disruption budget that lets one server go and keeps 2 up',
    ]);
  });

  it('whose route port admits other pods, or not its own, is reported', () => {
    const open = loadCluster('jetstream');
    const policy = open.networkPolicies.find((candidate) => nameOf(candidate) === 'nats-routes-netpol');
    if (!policy?.spec?.ingress?.[0]) throw new Error('no NetworkPolicy nats-routes-netpol');
    policy.spec.ingress[0].from = [{ podSelector: {} }];
    reports(jetStreamClusterProblems(open), 'StatefulSet nats: Deployment orders-depl may reach the route port 6222');

    const closed = loadCluster('jetstream');
    closed.networkPolicies = closed.networkPolicies.filter((candidate) => nameOf(candidate) !== 'nats-routes-netpol');
    expect(jetStreamClusterProblems(closed)).toEqual(["StatefulSet nats: its servers cannot reach each other's route port 6222"]);
  });

  it('that swaps the wrong folder, or keeps NATS Streaming too, is reported', () => {
    const wrong = structuredClone(config);
    const patch = wrong.profiles?.find((profile) => profile.name === 'jetstream')?.patches[0];
    if (!patch) throw new Error('the jetstream profile has no patch');
    patch.path = '/manifests/rawYaml/0';
    const problems = folderSwapProblems(deployedFiles(config), deployedFiles(withProfile(wrong, 'jetstream')), swap);
    reports(problems, 'profile jetstream no longer deploys infra/k8s/auth-depl.yaml');
    reports(problems, 'profile jetstream deploys infra/k8s-nats-streaming/nats-depl.yaml, which it should not');
    patch.op = 'add';
    patch.path = '/manifests/rawYaml/-';
    expect(folderSwapProblems(deployedFiles(config), deployedFiles(withProfile(wrong, 'jetstream')), swap)).toEqual([
      'profile jetstream deploys infra/k8s-nats-streaming/nats-depl.yaml, which it should not',
    ]);
  });

  it('whose ConfigMap forgets EVENT_BUS leaves the services on NATS Streaming, which is reported', () => {
    const cluster = loadCluster('jetstream');
    const natsConfig = findConfigMap(cluster, 'nats-config');
    if (!natsConfig?.data) throw new Error('no ConfigMap nats-config');
    delete natsConfig.data.EVENT_BUS;
    const problems = eventBusProblems(cluster, busImages);
    reports(problems, 'Deployment orders-depl: EVENT_BUS=nats-streaming, but its NATS_URL leads to StatefulSet nats, which runs nats:');
    expect(problems).toHaveLength(7);
    reports(
      serviceEnvProblems(config, cluster, context),
      'Deployment live-depl (live/src/index.ts): NATS_CLUSTER_ID is required but not provided',
    );
  });

  it('with a misspelt EVENT_BUS, or a service that overrides it, is reported', () => {
    const cluster = loadCluster('jetstream');
    const natsConfig = findConfigMap(cluster, 'nats-config');
    if (!natsConfig?.data) throw new Error('no ConfigMap nats-config');
    natsConfig.data.EVENT_BUS = 'jetsream';
    reports(eventBusProblems(cluster, busImages), 'Deployment tickets-depl: EVENT_BUS=jetsream is none of nats-streaming, jetstream');

    const overridden = loadCluster('jetstream');
    const payments = serviceContainer(overridden, 'payments-depl');
    payments.env = [...(payments.env ?? []), { name: 'EVENT_BUS', value: 'nats-streaming' }];
    expect(eventBusProblems(overridden, busImages)).toEqual([
      'Deployment payments-depl: EVENT_BUS=nats-streaming, but its NATS_URL leads to StatefulSet nats, which runs nats:2.11.8-alpine',
    ]);
  });

  it('pointing skaffold dev at JetStream while NATS Streaming runs is reported', () => {
    const cluster = loadCluster();
    const natsConfig = findConfigMap(cluster, 'nats-config');
    if (!natsConfig?.data) throw new Error('no ConfigMap nats-config');
    natsConfig.data.EVENT_BUS = 'jetstream';
    reports(
      eventBusProblems(cluster, busImages),
      'Deployment balances-depl: EVENT_BUS=jetstream, but its NATS_URL leads to Deployment nats-depl, which runs nats-streaming:0.25.6',
    );
  });

  it('running NATS without JetStream, or without a store, is reported', () => {
    const cluster = loadCluster('jetstream');
    const nats = natsContainer(cluster);
    nats.args = (nats.args ?? []).filter((arg) => arg !== '-js');
    const serverConfig = findConfigMap(cluster, 'nats-server-config');
    if (!serverConfig?.data) throw new Error('no ConfigMap nats-server-config');
    const text = serverConfig.data['nats.conf'];
    serverConfig.data['nats.conf'] = text.replace(/jetstream \{[^}]*\}/, '');
    expect(serverConfig.data['nats.conf']).not.toBe(text);
    expect(jetStreamServerProblems(cluster)).toEqual(['StatefulSet nats container nats: JetStream is not enabled (-js)']);
    nats.args.push('-js');
    expect(jetStreamServerProblems(cluster)).toEqual([
      "StatefulSet nats container nats: no store_dir, so JetStream keeps its streams in the container's /tmp",
    ]);
  });

  it('keeping its store on a pod-lived volume, or in a Deployment, is reported', () => {
    const cluster = loadCluster('jetstream');
    const statefulSet = natsStatefulSet(cluster);
    statefulSet.spec?.template.spec?.volumes?.push({ name: 'scratch', emptyDir: {} });
    const mount = natsContainer(cluster).volumeMounts?.find((candidate) => candidate.mountPath === '/data/jetstream');
    if (!mount) throw new Error('nothing mounted at /data/jetstream');
    mount.name = 'scratch';
    expect(jetStreamServerProblems(cluster)).toEqual([
      'StatefulSet nats container nats: store_dir /data/jetstream is on no volumeClaimTemplate',
    ]);

    const asDeployment = loadCluster('jetstream');
    const original = natsStatefulSet(asDeployment);
    if (!original.spec) throw new Error('StatefulSet nats has no spec');
    const { selector, template } = original.spec;
    asDeployment.workloads = asDeployment.workloads.map((workload) =>
      workload === original
        ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata: original.metadata, spec: { replicas: 1, selector, template } }
        : workload,
    );
    expect(jetStreamServerProblems(asDeployment)).toEqual([
      'Deployment nats container nats: JetStream runs in a Deployment, not a StatefulSet with a volume per pod',
    ]);
  });

  it('with a NATS pod that is not locked down, or accepts anyone, is reported', () => {
    const cluster = loadCluster('jetstream');
    const pod = natsStatefulSet(cluster).spec?.template.spec;
    if (!pod) throw new Error('StatefulSet nats has no pod spec');
    delete pod.securityContext;
    const nats = natsContainer(cluster);
    if (nats.securityContext) nats.securityContext.readOnlyRootFilesystem = false;
    nats.args = (nats.args ?? []).filter((arg) => !arg.startsWith('--config'));
    const problems = podSecurityProblems(cluster, built);
    reports(problems, 'StatefulSet nats container nats: runAsNonRoot is not true');
    reports(problems, 'StatefulSet nats container nats: seccompProfile is not RuntimeDefault');
    reports(problems, 'StatefulSet nats container nats: readOnlyRootFilesystem is not true');
    reports(problems, 'StatefulSet nats container nats: no fsGroup, so its volume claim may not be writable to its user');
    reports(natsAuthProblems(cluster), 'StatefulSet nats: NATS accepts clients without a user and password read from a Secret');
  });

  it('whose NATS admits every pod is reported', () => {
    const cluster = loadCluster('jetstream');
    cluster.networkPolicies = cluster.networkPolicies.filter((policy) => !['nats-netpol', 'nats-routes-netpol'].includes(nameOf(policy)));
    const problems = openConnectionProblems(cluster);
    reports(problems, 'Deployment auth-depl may reach StatefulSet nats on port 4222, which nothing needs');
    reports(problems, 'another pod of the namespace may reach StatefulSet nats on port 8222');
  });
});
