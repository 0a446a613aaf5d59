// Issue 12, item 9: each hardening property of the cluster, checked on the real
// manifests, and each check shown to fail on a copy that lacks the property.
import { artifactFolder } from './lib/artifacts';
import { clientHeaderProblems, loadClientHeaderRules, nextConfigFile } from './lib/client-headers';
import { clientRoutingFile, loadClientRouting, serverRouteProblems } from './lib/client-routes';
import { deployment, reports } from './lib/expectations';
import { builtImages, loadCluster, loadSkaffoldConfig, readSetupDocs, repoBuildContext } from './lib/fixtures';
import { readHealthEndpoints } from './lib/health';
import { Cluster, containersOf, findConfigMap, IContainer, nameOf } from './lib/kube';
import { natsAuthorizationProblems, natsAuthProblems, natsServerCredentials } from './lib/nats-auth';
import { designEventRoles, expectedNatsAuthorization, natsUsersTable } from './lib/nats-users';
import { allows, blockedConnectionProblems, ingressController, intendedConnections, openConnectionProblems, podsOf } from './lib/network';
import { podSecurityProblems } from './lib/pod-security';
import { imagePinProblems } from './lib/pods';
import { redisMemoryProblems, redisPersistenceProblems, toBytes } from './lib/redis-memory';
import { readRepoFile } from './lib/repo';
import { secretRefs, undocumentedSecretProblems } from './lib/secrets';
import { readServiceRequirements } from './lib/service-env';
import { serviceArtifacts, serviceProbeProblems } from './lib/services';
import { ingressTlsProblems, tlsSecrets, undocumentedTlsProblems } from './lib/tls';

const context = repoBuildContext();
const config = loadSkaffoldConfig();

const built = builtImages(config);

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
    const changed = createAppSource.replace("res.send({ status: 'alive' });", 'res.status(isReady() ? 200 : 503).send({});');
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
    const images = cluster.workloads.flatMap(containersOf).map((c) => c.image ?? '');
    expect(images.filter((image) => !built.has(image)).sort()).toEqual([
      'mongo:7.0.16',
      'mongo:7.0.16',
      'mongo:7.0.16',
      'mongo:7.0.16',
      'mongo:7.0.16',
      'nats-streaming:0.25.6',
      'redis:7.4.2-alpine',
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
    expect(podSecurityProblems(cluster, built)).toEqual(['Deployment client-depl container client: allowPrivilegeEscalation is not false']);
  });
});

describe('NATS authentication', () => {
  const envOf = (target: IContainer, name: string) => {
    const found = (target.env ?? []).find((variable) => variable.name === name);
    if (!found) throw new Error(`no ${name} in container ${target.name}`);
    return found;
  };

  const busUsers = ['tickets', 'orders', 'payments', 'balances', 'expiration', 'live', 'queue'];
  /** The users of operators' tools: the read-only event watcher and the dead-letter Job. */
  const toolUsers = ['events', 'deadletters'];

  it('demands of each service a user of its own, its password from nats-secret, which it presents in its NATS_URL', () => {
    const cluster = loadCluster();
    expect(natsAuthProblems(cluster)).toEqual([]);
    const nats = deployment(cluster, 'nats-depl');
    const { users, problems } = natsServerCredentials(nats, container(cluster, 'nats-depl'), cluster);
    expect(problems).toEqual([]);
    expect(users.map((user) => user.name)).toEqual([
      'stan',
      'tickets',
      'orders',
      'payments',
      'expiration',
      'balances',
      'live',
      'queue',
      'events',
      'deadletters',
    ]);
    expect(users.find((user) => user.name === 'live')?.password).toEqual({ secret: 'nats-secret', key: 'NATS_LIVE_PASSWORD' });
    for (const name of busUsers) {
      expect(envOf(container(cluster, `${name}-depl`), 'NATS_URL').value).toBe(`nats://${name}:$(NATS_PASSWORD)@nats-srv:4222`);
    }
  });

  it('gives each server the users and permissions of common/src/bus/nats-users.ts, on both transports', () => {
    const expected = expectedNatsAuthorization();
    expect(natsAuthorizationProblems(loadCluster(), expected)).toEqual([]);
    expect(natsAuthorizationProblems(loadCluster('jetstream'), expected)).toEqual([]);

    const widened = loadCluster('jetstream');
    const config = findConfigMap(widened, 'nats-server-config');
    if (!config?.data) throw new Error('no ConfigMap nats-server-config');
    const text = config.data['nats.conf'];
    const live = text.indexOf('user: live');
    config.data['nats.conf'] = text.slice(0, live) + text.slice(live).replace('"deadletter"', '"deadletter"\n"payment:created"');
    expect(natsAuthorizationProblems(widened, expected)).toEqual([
      'StatefulSet nats: /etc/nats/nats.conf is not the authorization of common/src/bus/nats-users.ts: it has "payment:created" where that has "$JS.API.INFO"',
    ]);
  });

  it("lets each service's user publish and consume what docs/design.md's events table says it does", () => {
    const table = natsUsersTable();
    const design = designEventRoles(busUsers);
    const roles = (users: { user: string; publishes: Iterable<string>; consumes: Iterable<string> }[]) =>
      users.map(({ user, publishes, consumes }) => ({ user, publishes: [...publishes].sort(), consumes: [...consumes].sort() }));
    const consumers = new Set(busUsers.filter((user) => (design.consumes.get(user)?.size ?? 0) > 0));
    const expected = busUsers.map((user) => ({
      user,
      // A listener parks what it gives up on, on deadletter.
      publishes: [...(design.publishes.get(user) ?? []), ...(consumers.has(user) ? ['deadletter'] : [])],
      consumes: design.consumes.get(user) ?? [],
    }));
    expect(roles(table.filter(({ user }) => busUsers.includes(user)))).toEqual(expect.arrayContaining(roles(expected)));
    expect(table.map(({ user }) => user).sort()).toEqual([...busUsers, ...toolUsers].sort());
  });

  it('reads credentials the deployment docs tell how to create, and commits none', () => {
    const refs = secretRefs(loadCluster()).filter((ref) => ref.secret === 'nats-secret');
    expect(new Set(refs.map((ref) => ref.key))).toEqual(
      new Set(['NATS_STAN_PASSWORD', ...[...busUsers, ...toolUsers].map((name) => `NATS_${name.toUpperCase()}_PASSWORD`)]),
    );
    expect(undocumentedSecretProblems(refs, readSetupDocs())).toEqual([]);
    const docs = readSetupDocs().replace(/kubectl create secret generic nats-secret/g, 'kubectl create secret generic nats');
    reports(undocumentedSecretProblems(refs, docs), 'Secret nats-secret is read but no documented');
  });

  it('left out of the server, or written into its config file, or shared between users, is reported', () => {
    const cluster = loadCluster();
    const nats = container(cluster, 'nats-depl');
    nats.args = (nats.args ?? []).filter((arg) => !arg.startsWith('-c='));
    reports(natsAuthProblems(cluster), 'Deployment nats-depl: NATS accepts clients without a user and password read from a Secret');

    const literal = loadCluster();
    const config = findConfigMap(literal, 'nats-server-config');
    if (!config?.data) throw new Error('no ConfigMap nats-server-config');
    config.data['nats.conf'] = config.data['nats.conf'].replace('$NATS_LIVE_PASSWORD', 'hunter2');
    reports(natsAuthProblems(literal), 'Deployment nats-depl: /etc/nats/nats.conf holds a literal password for live');

    const shared = loadCluster();
    const sharedConfig = findConfigMap(shared, 'nats-server-config');
    if (!sharedConfig?.data) throw new Error('no ConfigMap nats-server-config');
    sharedConfig.data['nats.conf'] = sharedConfig.data['nats.conf'].replace('$NATS_LIVE_PASSWORD', '$NATS_PAYMENTS_PASSWORD');
    reports(natsAuthProblems(shared), 'Deployment nats-depl: users payments and live share Secret nats-secret key NATS_PAYMENTS_PASSWORD');
  });

  it('as one --user/--pass for every client is reported', () => {
    const cluster = loadCluster();
    const nats = container(cluster, 'nats-depl');
    nats.args = [...(nats.args ?? []).filter((arg) => !arg.startsWith('-c=')), '--user=$(NATS_USER)', '--pass=$(NATS_PASSWORD)'];
    reports(natsAuthProblems(cluster), 'Deployment nats-depl: one user for every client (--user/--pass)');
  });

  it("presenting another service's user is reported", () => {
    const cluster = loadCluster();
    envOf(container(cluster, 'live-depl'), 'NATS_URL').value = 'nats://payments:$(NATS_PASSWORD)@nats-srv:4222';
    const password = envOf(container(cluster, 'queue-depl'), 'NATS_PASSWORD').valueFrom?.secretKeyRef;
    if (!password) throw new Error('queue-depl reads no NATS_PASSWORD Secret');
    password.key = 'NATS_PAYMENTS_PASSWORD';
    const problems = natsAuthProblems(cluster);
    reports(problems, "Deployment live-depl: NATS_URL's user is payments, not live, its own");
    reports(
      problems,
      "Deployment queue-depl: NATS_URL's password is $(NATS_PASSWORD) from Secret nats-secret key NATS_PAYMENTS_PASSWORD, not Secret nats-secret key NATS_QUEUE_PASSWORD as the server's for queue",
    );
  });

  it('missing from a NATS_URL, or written into it, is reported', () => {
    const cluster = loadCluster();
    envOf(container(cluster, 'orders-depl'), 'NATS_URL').value = 'nats://nats-srv:4222';
    envOf(container(cluster, 'payments-depl'), 'NATS_URL').value = 'nats://payments:hunter2@nats-srv:4222';
    const problems = natsAuthProblems(cluster);
    reports(problems, 'Deployment orders-depl: NATS_URL carries no user');
    reports(problems, "Deployment payments-depl: NATS_URL's password is written into the manifest");
  });

  it('expanded from a variable defined after NATS_URL, or from another Secret, is reported', () => {
    const cluster = loadCluster();
    const tickets = container(cluster, 'tickets-depl');
    const url = envOf(tickets, 'NATS_URL');
    tickets.env = [url, ...(tickets.env ?? []).filter((variable) => variable !== url)];
    const expiration = container(cluster, 'expiration-depl');
    const password = envOf(expiration, 'NATS_PASSWORD').valueFrom?.secretKeyRef;
    if (!password) throw new Error('expiration-depl reads no NATS_PASSWORD Secret');
    password.name = 'jwt-secret';
    password.key = 'JWT_KEY';
    const problems = natsAuthProblems(cluster);
    reports(problems, 'Deployment tickets-depl: NATS_URL uses $(NATS_PASSWORD), which is not defined before it');
    reports(
      problems,
      "Deployment expiration-depl: NATS_URL's password is $(NATS_PASSWORD) from Secret jwt-secret key JWT_KEY, not Secret nats-secret key NATS_EXPIRATION_PASSWORD as the server's for expiration",
    );
  });

  it('cannot come from a ConfigMap, and goes to no container that does not connect', () => {
    const cluster = loadCluster();
    const orders = container(cluster, 'orders-depl');
    orders.env = (orders.env ?? []).filter((variable) => variable.name !== 'NATS_URL');
    const natsConfig = findConfigMap(cluster, 'nats-config');
    if (!natsConfig?.data) throw new Error('no ConfigMap nats-config');
    natsConfig.data.NATS_URL = 'nats://nats-srv:4222';
    const auth = container(cluster, 'auth-depl');
    auth.env = [...(auth.env ?? []), ...(container(cluster, 'tickets-depl').env ?? []).filter((v) => v.name === 'NATS_PASSWORD')];
    const problems = natsAuthProblems(cluster);
    reports(problems, 'Deployment orders-depl: NATS_URL comes from a ConfigMap');
    reports(problems, 'Deployment auth-depl: reads NATS credentials but has no NATS_URL to use them');
  });
});

describe('TLS at the Ingress', () => {
  it('serves ticketing.dev from the Secret ticketing-tls and redirects plain http to https', () => {
    const cluster = loadCluster();
    expect(ingressTlsProblems(cluster)).toEqual([]);
    // Three Ingresses (the API and the client's, and live's and queue's with their WebSocket timeouts), one host, one certificate.
    const tls = { secret: 'ticketing-tls', hosts: ['ticketing.dev'] };
    expect(tlsSecrets(cluster)).toEqual([tls, tls, tls]);
  });

  it('comes from a certificate the deployment docs tell how to make, for the host it serves', () => {
    const docs = readSetupDocs();
    const secrets = tlsSecrets(loadCluster());
    expect(undocumentedTlsProblems(secrets, docs)).toEqual([]);
    reports(
      undocumentedTlsProblems(secrets, docs.replace(/subjectAltName=DNS:ticketing\.dev/g, 'subjectAltName=DNS:ticketing.test')),
      'the documented certificate for TLS Secret ticketing-tls does not name ticketing.dev in its subjectAltName',
    );
    reports(
      undocumentedTlsProblems(secrets, docs.replace(/kubectl create secret tls ticketing-tls/g, 'kubectl create secret tls tls')),
      'TLS Secret ticketing-tls is read but no documented `kubectl create secret tls ticketing-tls` creates it',
    );
  });

  it('missing, or without the redirect, is reported', () => {
    const cluster = loadCluster();
    const ingress = cluster.ingresses[0];
    if (!ingress.spec || !ingress.metadata) throw new Error('the Ingress has no spec');
    delete ingress.spec.tls;
    delete ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/ssl-redirect'];
    const problems = ingressTlsProblems(cluster);
    reports(problems, 'Ingress ingress-srv: host ticketing.dev is not served over TLS');
    reports(problems, 'Ingress ingress-srv: nginx.ingress.kubernetes.io/ssl-redirect is not "true", so plain http may be served');
  });
});

describe("the client's server-side requests", () => {
  const routing = loadClientRouting();

  it('reach each API path at the Service the Ingress sends it to, not through its https-only host', () => {
    expect(serverRouteProblems(loadCluster(), routing)).toEqual([]);
  });

  it('resolve by whole path segments and the longest prefix, as the Ingress matches', () => {
    const routes = routing.parse(' /api/users=http://auth-srv:3000/ , /api=http://other:80');
    expect(routes).toEqual([
      { prefix: '/api/users', base: 'http://auth-srv:3000' },
      { prefix: '/api', base: 'http://other:80' },
    ]);
    expect(routing.resolve(routes, 'http://gateway', '/api/users/currentuser')).toBe('http://auth-srv:3000/api/users/currentuser');
    expect(routing.resolve(routes, 'http://gateway', '/api/usersx')).toBe('http://other:80/api/usersx');
    expect(routing.resolve(routes, 'http://gateway', '/api/users?x=/api/users')).toBe('http://auth-srv:3000/api/users?x=/api/users');
    expect(routing.resolve(routes, 'http://gateway', '/elsewhere')).toBe('http://gateway/elsewhere');
    expect(routing.resolve([], 'http://gateway', '/api/users')).toBe('http://gateway/api/users');
    expect(() => routing.parse('/api/users')).toThrow('is not <path prefix>=<base URL>');
  });

  it('sent to the ingress, or to the wrong service, are reported', () => {
    const cluster = loadCluster();
    const client = container(cluster, 'client-depl');
    const routes = (client.env ?? []).find((variable) => variable.name === 'SERVER_API_ROUTES');
    if (!routes?.value) throw new Error('client-depl has no SERVER_API_ROUTES');
    routes.value = routes.value
      .replace('/api/orders=http://orders-srv:3000', '/api/orders=http://payments-srv:3000')
      .replace(/,?\/api\/payments=[^,]*/, '');
    const problems = serverRouteProblems(cluster, routing);
    reports(
      problems,
      'Deployment client-depl: a server-side GET /api/orders/some/id?x=1 goes to http://payments-srv:3000/api/orders/some/id?x=1, not http://orders-srv:3000',
    );
    reports(problems, 'Deployment client-depl: a server-side GET /api/payments/some/id?x=1 goes to SERVER_API_URL, through the ingress');
  });

  it("are checked against the client's own resolver, which the check evaluates", () => {
    const changed = readRepoFile(clientRoutingFile).replace('pathname.startsWith(`${prefix}/`)', 'pathname.startsWith(prefix)');
    expect(changed).not.toBe(readRepoFile(clientRoutingFile));
    const loose = loadClientRouting(changed);
    expect(loose.resolve(loose.parse('/api/users=http://auth-srv:3000'), 'http://gateway', '/api/usersx')).toBe(
      'http://auth-srv:3000/api/usersx',
    );
  });
});

describe('NetworkPolicies', () => {
  const policy = (cluster: Cluster, name: string) => {
    const found = cluster.networkPolicies.find((candidate) => nameOf(candidate) === name);
    if (!found?.spec) throw new Error(`no NetworkPolicy ${name}`);
    return found.spec;
  };

  it('allow every connection the system opens, and no other', () => {
    const cluster = loadCluster();
    expect(blockedConnectionProblems(cluster)).toEqual([]);
    expect(openConnectionProblems(cluster)).toEqual([]);
    const summary = intendedConnections(cluster).map(({ source, target, port }) => `${source.description} -> ${nameOf(target)}:${port}`);
    expect(summary.sort()).toEqual(
      [
        'Deployment auth-depl -> auth-mongo-depl:27017',
        'Deployment tickets-depl -> tickets-mongo-depl:27017',
        'Deployment orders-depl -> orders-mongo-depl:27017',
        'Deployment payments-depl -> payments-mongo-depl:27017',
        'Deployment balances-depl -> balances-mongo-depl:27017',
        'Deployment expiration-depl -> expiration-redis-depl:6379',
        'Deployment payments-depl -> expiration-redis-depl:6379',
        'Deployment auth-depl -> expiration-redis-depl:6379',
        'Deployment tickets-depl -> nats-depl:4222',
        'Deployment orders-depl -> nats-depl:4222',
        'Deployment payments-depl -> nats-depl:4222',
        'Deployment balances-depl -> nats-depl:4222',
        'Deployment expiration-depl -> nats-depl:4222',
        'Deployment live-depl -> nats-depl:4222',
        'Deployment queue-depl -> nats-depl:4222',
        'Deployment queue-depl -> queue-redis-depl:6379',
        'Deployment client-depl -> auth-depl:3000',
        'Deployment client-depl -> tickets-depl:3000',
        'Deployment client-depl -> orders-depl:3000',
        'Deployment client-depl -> payments-depl:3000',
        'Deployment client-depl -> balances-depl:3000',
        'Deployment client-depl -> live-depl:3000',
        'Deployment client-depl -> queue-depl:3000',
        'the ingress-nginx controller -> auth-depl:3000',
        'the ingress-nginx controller -> tickets-depl:3000',
        'the ingress-nginx controller -> orders-depl:3000',
        'the ingress-nginx controller -> payments-depl:3000',
        'the ingress-nginx controller -> balances-depl:3000',
        'the ingress-nginx controller -> live-depl:3000',
        'the ingress-nginx controller -> queue-depl:3000',
        'the ingress-nginx controller -> client-depl:3000',
      ].sort(),
    );
  });

  it("admit to NATS exactly the services whose index.ts connects to it (runService's eventBus)", () => {
    const cluster = loadCluster();
    const natsImages = serviceArtifacts(config, context)
      .filter((artifact) => {
        const entry = `${artifactFolder(artifact)}/src/index.ts`;
        return readServiceRequirements(entry, readRepoFile(entry)).eventBus;
      })
      .map((artifact) => artifact.image);
    const users = cluster.workloads
      .filter((candidate) => containersOf(candidate).some((c) => natsImages.includes(c.image ?? '')))
      .map(nameOf);
    const admitted = cluster.workloads
      .filter((candidate) => allows(cluster, podsOf(candidate), deployment(cluster, 'nats-depl'), 4222))
      .map(nameOf);
    expect(users.sort()).toEqual([
      'balances-depl',
      'expiration-depl',
      'live-depl',
      'orders-depl',
      'payments-depl',
      'queue-depl',
      'tickets-depl',
    ]);
    expect(admitted.sort()).toEqual(users.sort());
  });

  it("missing for a database leaves it open to every pod; one that forgets the namespace, to another namespace's", () => {
    const cluster = loadCluster();
    cluster.networkPolicies = cluster.networkPolicies.filter((candidate) => nameOf(candidate) !== 'auth-mongo-netpol');
    const from = policy(cluster, 'payments-mongo-netpol').ingress?.[0].from?.[0];
    if (!from) throw new Error('payments-mongo-netpol admits no peer');
    from.namespaceSelector = {};
    from.podSelector = { matchLabels: { app: 'payments' } };
    const problems = openConnectionProblems(cluster);
    reports(problems, 'another pod of the namespace may reach Deployment auth-mongo-depl on port 27017, which nothing needs');
    reports(problems, 'Deployment orders-depl may reach Deployment auth-mongo-depl on port 27017');
    reports(problems, 'the ingress-nginx controller may reach Deployment auth-mongo-depl on port 27017');
    expect(problems.filter((problem) => problem.includes('reach Deployment payments-mongo-depl'))).toEqual([
      "a pod labelled as Deployment payments-depl's in another namespace may reach Deployment payments-mongo-depl on port 27017, which nothing needs",
    ]);
  });

  it('admitting a service that does not use NATS, or NATS monitoring, is reported', () => {
    const cluster = loadCluster();
    const rule = policy(cluster, 'nats-netpol').ingress?.[0];
    const expression = rule?.from?.[0].podSelector?.matchExpressions?.[0];
    if (!rule || !expression?.values) throw new Error('nats-netpol has no app In (...) rule');
    expression.values.push('auth');
    delete rule.ports;
    const problems = openConnectionProblems(cluster);
    reports(problems, 'Deployment auth-depl may reach Deployment nats-depl on port 4222, which nothing needs');
    reports(problems, 'Deployment tickets-depl may reach Deployment nats-depl on port 8222, which nothing needs');
  });

  it('admitting everyone to NATS is reported for each stranger', () => {
    const cluster = loadCluster();
    const rule = policy(cluster, 'nats-netpol').ingress?.[0];
    if (!rule) throw new Error('nats-netpol has no rule');
    rule.from = [];
    const problems = openConnectionProblems(cluster);
    reports(problems, 'another pod of the namespace may reach Deployment nats-depl on port 4222');
    reports(problems, "a pod labelled as Deployment auth-depl's in another namespace may reach Deployment nats-depl on port 4222");
  });

  it("that shut out the client's server-side requests or the ingress controller are reported", () => {
    const cluster = loadCluster();
    const api = policy(cluster, 'api-netpol').ingress?.[0];
    if (!api?.from) throw new Error('api-netpol admits no peer');
    api.from = api.from.filter((clause) => clause.podSelector?.matchLabels?.app !== 'client');
    const controller = policy(cluster, 'client-netpol').ingress?.[0].from?.[0].namespaceSelector;
    if (!controller) throw new Error('client-netpol admits no namespace');
    controller.matchLabels = { 'kubernetes.io/metadata.name': 'ingress' };
    const problems = blockedConnectionProblems(cluster);
    reports(problems, 'Deployment client-depl cannot reach Deployment auth-depl on port 3000, which its SERVER_API_ROUTES needs');
    reports(problems, 'the ingress-nginx controller cannot reach Deployment client-depl on port 3000, which Ingress path / needs');
    expect(allows(cluster, ingressController, deployment(cluster, 'orders-depl'), 3000)).toBe(true);
  });

  it("that name the ingress controller's labels without its namespace admit look-alikes, which is reported", () => {
    const cluster = loadCluster();
    const clause = policy(cluster, 'client-netpol').ingress?.[0].from?.[0];
    if (!clause) throw new Error('client-netpol admits no peer');
    delete clause.namespaceSelector;
    const problems = openConnectionProblems(cluster);
    reports(problems, 'a pod of the namespace labelled as the ingress controller may reach Deployment client-depl on port 3000');
    reports(blockedConnectionProblems(cluster), 'the ingress-nginx controller cannot reach Deployment client-depl on port 3000');
  });

  it('with an egress rule that forgets a connection is reported too', () => {
    const cluster = loadCluster();
    cluster.networkPolicies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'client-egress' },
      spec: { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [] },
    });
    reports(blockedConnectionProblems(cluster), 'Deployment client-depl cannot reach Deployment tickets-depl on port 3000');
  });
});

describe("the client's responses", () => {
  const source = readRepoFile(nextConfigFile);

  it('carry frame-ancestors and X-Frame-Options, nosniff, a referrer policy, a permissions policy and HSTS on every path', async () => {
    expect(clientHeaderProblems(await loadClientHeaderRules())).toEqual([]);
  });

  it('without X-Frame-Options, or framed by anyone, are reported', async () => {
    const changed = source
      .replace("  { key: 'X-Frame-Options', value: 'DENY' },\n", '')
      .replace("frame-ancestors 'none'", 'frame-ancestors *');
    expect(changed).not.toBe(source);
    const problems = clientHeaderProblems(await loadClientHeaderRules(changed));
    reports(problems, 'client/next.config.ts: no X-Frame-Options on every path');
    reports(problems, 'client/next.config.ts: Content-Security-Policy is "frame-ancestors *;');
  });

  it('with the headers on some paths only, or none at all, are reported', async () => {
    const some = source.replace("source: '/:path*'", "source: '/tickets/:path*'");
    expect(some).not.toBe(source);
    reports(clientHeaderProblems(await loadClientHeaderRules(some)), 'client/next.config.ts: no Strict-Transport-Security on every path');
    const none = source.replace(/ {2}headers: .*\n/, '');
    expect(none).not.toBe(source);
    expect(clientHeaderProblems(await loadClientHeaderRules(none))).toHaveLength(6);
  });
});

describe("expiration's and the queue's Redis", () => {
  it("keep an append-only file, fsync'd at least every second", () => {
    expect(redisPersistenceProblems(loadCluster())).toEqual([]);
    expect(container(loadCluster(), 'queue-redis-depl').args).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--appendfsync', 'always']),
    );
  });

  it('without the append-only file, or flushed by the kernel at leisure, are reported', () => {
    const cluster = loadCluster();
    const redis = container(cluster, 'queue-redis-depl');
    redis.args = ['--maxmemory', '96mb', '--maxmemory-policy', 'noeviction'];
    reports(redisPersistenceProblems(cluster), 'Deployment queue-redis-depl container redis: no --appendonly yes');
    redis.args = ['--appendonly', 'yes', '--appendfsync', 'no'];
    reports(redisPersistenceProblems(cluster), 'Deployment queue-redis-depl container redis: --appendfsync is no, not everysec or always');
  });

  it('refuse writes when full instead of evicting jobs or places in line, with a cap below the memory limit', () => {
    expect(redisMemoryProblems(loadCluster())).toEqual([]);
    expect(toBytes('96mb')).toBeLessThan(toBytes('128Mi')!);
  });

  it('that may evict, has no cap, or a cap above its limit is reported', () => {
    const cluster = loadCluster();
    const redis = container(cluster, 'expiration-redis-depl');
    redis.args = ['--appendonly', 'yes', '--maxmemory', '512mb', '--maxmemory-policy', 'allkeys-lru'];
    const problems = redisMemoryProblems(cluster);
    reports(problems, 'Deployment expiration-redis-depl container redis: --maxmemory-policy is allkeys-lru, not noeviction');
    reports(problems, 'Deployment expiration-redis-depl container redis: --maxmemory is not below the memory limit');

    redis.args = ['--appendonly', 'yes'];
    reports(redisMemoryProblems(cluster), 'Deployment expiration-redis-depl container redis: no --maxmemory');
  });
});
