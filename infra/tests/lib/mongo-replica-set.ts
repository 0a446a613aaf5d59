import { Cluster, containersOf, describeWorkload, findService, IJob, isDeployment, nameOf, selectedBy, Workload } from './kube';
import { allows, Peer, podsOf } from './network';
import { flagValue } from './wiring';

const mongoPort = 27017;

/** The replica set a mongod container joins (--replSet), if any. */
const replicaSetName = (workload: Workload): string | undefined =>
  containersOf(workload)
    .filter((container) => /^mongo:/.test(container.image ?? ''))
    .map((container) => flagValue(container.args ?? [], ['replSet']))
    .find((name) => name !== undefined);

/** The text of a Job's command and arguments, where a mongosh --eval script lives. */
const scriptOf = (job: IJob) =>
  (job.spec?.template.spec?.containers ?? []).flatMap((container) => [...(container.command ?? []), ...(container.args ?? [])]).join(' ');

/** The member hosts ('name:port') a script hands rs.initiate for the set `name`, if it initiates that set. */
const initiatedHosts = (script: string, name: string): string[] | undefined => {
  if (!script.includes('rs.initiate(') || !new RegExp(`_id:\\s*'${name}'`).test(script)) return undefined;
  return [...script.matchAll(/'([a-z0-9][-a-z0-9.]*:\d+)'/g)].map((match) => match[1]);
};

const jobPods = (job: IJob): Peer => ({ description: `Job ${nameOf(job)}`, labels: job.spec?.template.metadata?.labels ?? {} });

/**
 * Each mongod started with --replSet runs as a StatefulSet of an odd number of members, three or more (a majority
 * survives one's loss), with a headless governing Service that publishes members before they are ready (they find
 * each other by name while the set forms), a Job that initiates the set with exactly its members' names, and
 * NetworkPolicies that let the members reach each other and the Job reach them.
 */
export const replicaSetProblems = (cluster: Cluster): string[] =>
  cluster.workloads.flatMap((workload) => {
    const set = replicaSetName(workload);
    if (set === undefined) return [];
    const label = `${describeWorkload(workload)} (replica set ${set})`;
    if (isDeployment(workload)) return [`${label}: runs as a Deployment, not a StatefulSet with a name and a volume per member`];
    const problems: string[] = [];
    const members = workload.spec?.replicas ?? 1;
    if (members < 3 || members % 2 === 0)
      problems.push(`${label}: ${members} member(s); an odd number, three or more, keeps a majority when one goes`);
    const serviceName = workload.spec?.serviceName ?? '';
    const governing = findService(cluster, serviceName);
    if (!governing || governing.spec?.clusterIP !== 'None' || !selectedBy(governing, cluster).includes(workload)) {
      problems.push(`${label}: its serviceName ${serviceName || '(none)'} is no headless Service of its pods`);
    } else if (governing.spec.publishNotReadyAddresses !== true) {
      problems.push(`${label}: Service ${serviceName} publishes only ready members, so they cannot find each other while the set forms`);
    }
    const expected = Array.from({ length: members }, (_, index) => `${nameOf(workload)}-${index}.${serviceName}:${mongoPort}`);
    const initiators = cluster.jobs.filter((job) => {
      const hosts = initiatedHosts(scriptOf(job), set);
      return hosts !== undefined && [...hosts].sort().join() === [...expected].sort().join();
    });
    if (initiators.length === 0) problems.push(`${label}: no Job initiates it with exactly its members, ${expected.join(', ')}`);
    if (!allows(cluster, podsOf(workload), workload, mongoPort))
      problems.push(`${label}: its members cannot reach each other on ${mongoPort}`);
    for (const job of initiators) {
      if (!allows(cluster, jobPods(job), workload, mongoPort))
        problems.push(`${label}: Job ${nameOf(job)} cannot reach its members on ${mongoPort}`);
    }
    return problems;
  });
