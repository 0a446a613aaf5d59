import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { IServicePort } from 'kubernetes-models/v1/ServicePort';
import {
  Cluster,
  containersOf,
  describeWorkload,
  findService,
  Workload,
  INetworkPolicy,
  IService,
  nameOf,
  podLabels,
  selectedBy,
} from './kube';
import { addressIn, containerSettings, ingressRoutes, inNamespaceHost } from './wiring';

type LabelSelector = NonNullable<INetworkPolicy['spec']>['podSelector'];

/** A pod that may open connections: one of ours, or one elsewhere in the cluster. */
export interface Peer {
  description: string;
  /** Undefined for the namespace the manifests are applied to. */
  namespace?: string;
  labels: Record<string, string>;
  /** Set for our pods, whose egress policies also apply. */
  deployment?: Workload;
}

const namespaceLabels = (peer: Peer): Record<string, string> => ({
  'kubernetes.io/metadata.name': peer.namespace ?? '(the namespace of the manifests)',
});

export const podsOf = (deployment: Workload): Peer => ({
  description: `${describeWorkload(deployment)}`,
  labels: podLabels(deployment),
  deployment,
});

/** ingress-nginx's controller as the Helm chart, the static manifests (kind) and minikube's addon install it. */
export const ingressController: Peer = {
  description: 'the ingress-nginx controller',
  namespace: 'ingress-nginx',
  labels: {
    'app.kubernetes.io/name': 'ingress-nginx',
    'app.kubernetes.io/instance': 'ingress-nginx',
    'app.kubernetes.io/component': 'controller',
  },
};

/**
 * Pods no rule has any business admitting: a debugging pod beside ours, one
 * beside ours wearing the ingress controller's labels, and in another namespace
 * one wearing each of our pods' labels (a rule that forgets the namespace admits it).
 */
export const strangers = (cluster: Cluster): Peer[] => [
  { description: 'another pod of the namespace', labels: { app: 'debug-shell' } },
  { description: 'a pod of the namespace labelled as the ingress controller', labels: ingressController.labels },
  ...cluster.workloads.map((deployment) => ({
    description: `a pod labelled as ${describeWorkload(deployment)}'s in another namespace`,
    namespace: 'elsewhere',
    labels: podLabels(deployment),
  })),
];

/** Label selector semantics: every matchLabels pair and every matchExpressions requirement holds; an empty selector selects all. */
export const selects = (selector: LabelSelector, labels: Record<string, string>): boolean =>
  Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value) &&
  (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    switch (operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });

/** Whether a peer clause of a rule matches a pod. An ipBlock counts as matching: a CIDR may cover pod addresses. */
const peerMatches = (clause: INetworkPolicyPeer, peer: Peer): boolean => {
  if (clause.ipBlock) return true;
  const namespaceOk = clause.namespaceSelector ? selects(clause.namespaceSelector, namespaceLabels(peer)) : peer.namespace === undefined;
  return namespaceOk && (clause.podSelector ? selects(clause.podSelector, peer.labels) : true);
};

const containerPortNamed = (deployment: Workload, name: string) =>
  containersOf(deployment)
    .flatMap((container) => container.ports ?? [])
    .find((port) => port.name === name)?.containerPort;

const portMatches = (ports: INetworkPolicyPort[] | undefined, port: number, target?: Workload): boolean =>
  !ports ||
  ports.length === 0 ||
  ports.some((rule) => {
    if ((rule.protocol ?? 'TCP') !== 'TCP') return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === 'string') return target !== undefined && containerPortNamed(target, rule.port) === port;
    return rule.endPort === undefined ? rule.port === port : port >= rule.port && port <= rule.endPort;
  });

const policyTypes = (policy: INetworkPolicy): string[] =>
  policy.spec?.policyTypes ?? ['Ingress', ...(policy.spec?.egress ? ['Egress'] : [])];

const policiesFor = (cluster: Cluster, peer: Peer, type: 'Ingress' | 'Egress') =>
  peer.namespace !== undefined
    ? []
    : cluster.networkPolicies.filter(
        (policy) => policyTypes(policy).includes(type) && selects(policy.spec?.podSelector ?? {}, peer.labels),
      );

/**
 * Whether the policies of the manifests let `source` open a TCP connection to
 * the pods of `target` on `port`: the target admits it (or no policy isolates
 * the target), and, for a source of ours, its egress allows it likewise.
 * Policies of other namespaces (ingress-nginx's) are not ours to know.
 */
export const allows = (cluster: Cluster, source: Peer, target: Workload, port: number): boolean => {
  const targetPeer = podsOf(target);
  const ingress = policiesFor(cluster, targetPeer, 'Ingress');
  const admitted =
    ingress.length === 0 ||
    ingress.some((policy) =>
      (policy.spec?.ingress ?? []).some(
        (rule) => portMatches(rule.ports, port, target) && (!rule.from?.length || rule.from.some((clause) => peerMatches(clause, source))),
      ),
    );
  const egress = policiesFor(cluster, source, 'Egress');
  const sent =
    egress.length === 0 ||
    egress.some((policy) =>
      (policy.spec?.egress ?? []).some(
        (rule) => portMatches(rule.ports, port, target) && (!rule.to?.length || rule.to.some((clause) => peerMatches(clause, targetPeer))),
      ),
    );
  return admitted && sent;
};

/** A connection the system needs: who opens it, to which pods and port, and the setting or route that says so. */
export interface Connection {
  source: Peer;
  target: Workload;
  port: number;
  why: string;
}

/** The container port a Service port leads to on a Deployment's pods. */
const targetPort = (port: IServicePort, deployment: Workload): number | undefined => {
  const target = port.targetPort ?? port.port;
  return typeof target === 'number' ? target : containerPortNamed(deployment, target);
};

const connectionsTo = (
  cluster: Cluster,
  source: Peer,
  service: IService | undefined,
  servicePort: number | undefined,
  why: string,
): Connection[] => {
  if (!service) return [];
  const ports = (service.spec?.ports ?? []).filter((port) => servicePort === undefined || port.port === servicePort);
  return selectedBy(service, cluster).flatMap((target) =>
    ports.flatMap((port) => {
      const number = targetPort(port, target);
      return number === undefined ? [] : [{ source, target, port: number, why }];
    }),
  );
};

/** `http://host:port` base URLs in a setting such as SERVER_API_ROUTES (`/api/users=http://auth-srv:3000,...`). */
const embeddedUrls = (value: string): URL[] =>
  [...value.matchAll(/\bhttps?:\/\/[^\s,]+/g)].flatMap((match) => {
    try {
      return [new URL(match[0])];
    } catch {
      return [];
    }
  });

/**
 * Every connection the manifests say the system opens: each container's
 * connection settings (MONGO_URI, NATS_URL, REDIS_HOST with REDIS_PORT, and
 * base URLs such as the client's SERVER_API_ROUTES), and the ingress
 * controller to each Ingress backend.
 */
export const intendedConnections = (cluster: Cluster): Connection[] => {
  const fromSettings = cluster.workloads.flatMap((deployment) =>
    containersOf(deployment).flatMap((container) => {
      const settings = containerSettings(container, cluster);
      return [...settings].flatMap(([name, value]) => {
        const addresses = [addressIn(name, value, settings), ...embeddedUrls(value).map((url) => addressIn('', url.href, settings))];
        return addresses.flatMap((address) =>
          address && inNamespaceHost(address.host)
            ? connectionsTo(cluster, podsOf(deployment), findService(cluster, address.host), address.port, `its ${name}`)
            : [],
        );
      });
    }),
  );
  const fromIngress = ingressRoutes(cluster).flatMap((route) =>
    connectionsTo(
      cluster,
      ingressController,
      findService(cluster, route.service),
      typeof route.port === 'number' ? route.port : undefined,
      `Ingress path ${route.path}`,
    ),
  );
  const seen = new Set<string>();
  return [...fromSettings, ...fromIngress].filter((connection) => {
    const key = `${connection.source.description} ${nameOf(connection.target)} ${connection.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

const sameConnection = (a: Connection, b: { source: Peer; target: Workload; port: number }) =>
  a.source.description === b.source.description && a.target === b.target && a.port === b.port;

/** Every connection the system needs is allowed. */
export const blockedConnectionProblems = (cluster: Cluster, connections = intendedConnections(cluster)): string[] =>
  connections
    .filter((connection) => !allows(cluster, connection.source, connection.target, connection.port))
    .map(
      ({ source, target, port, why }) =>
        `${source.description} cannot reach ${describeWorkload(target)} on port ${port}, which ${why} needs`,
    );

/**
 * Nothing else is: no pod of ours, the ingress controller or a stranger may reach
 * any declared port of any pod of ours unless a connection needs it. (The kubelet's
 * probes are not filtered by policies, so probe-only ports need no rule.)
 */
export const openConnectionProblems = (cluster: Cluster, connections = intendedConnections(cluster)): string[] => {
  const sources = [...cluster.workloads.map(podsOf), ingressController, ...strangers(cluster)];
  return cluster.workloads.flatMap((target) => {
    const ports = [...new Set(containersOf(target).flatMap((container) => (container.ports ?? []).map((port) => port.containerPort)))];
    return sources
      .filter((source) => source.deployment !== target)
      .flatMap((source) =>
        ports
          .filter((port) => allows(cluster, source, target, port))
          .filter((port) => !connections.some((connection) => sameConnection(connection, { source, target, port })))
          .map((port) => `${source.description} may reach ${describeWorkload(target)} on port ${port}, which nothing needs`),
      );
  });
};
