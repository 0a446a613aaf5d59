// Each check, run against a changed copy of the real files, reports the change:
// proof that the green suites above could fail.
import { artifactProblems, buildArgProblems, dockerfileProblems, sharedDockerfileProblems } from './lib/artifacts';
import { Dockerfile, parseDockerfile, unexpandedProblems } from './lib/dockerfile';
import { deployment, reports } from './lib/expectations';
import { builtImages, listRepoFiles, loadCluster, loadSkaffoldConfig, readSetupDocs, repoBuildContext } from './lib/fixtures';
import { contextCopyProblems, finalImageProblems, isIgnored } from './lib/image-build';
import { Cluster, IContainer, IDeployment, IService, nameOf } from './lib/kube';
import { loadManifests, parseManifests } from './lib/manifests';
import { gracefulShutdownProblems, imagePinProblems, persistenceProblems, podResourceProblems, volumeProblems } from './lib/pods';
import { readRepoFile } from './lib/repo';
import { schemaProblems, unknownFieldProblems } from './lib/schema';
import { plaintextSecretProblems, secretRefs, undocumentedSecretProblems } from './lib/secrets';
import { readServiceRequirements } from './lib/service-env';
import { serviceEnvProblems, serviceProbeProblems, workspacePeerProblems } from './lib/services';
import {
  checkSkaffold,
  imageProblems,
  parseSkaffold,
  patchProblems,
  productionProfileProblems,
  SkaffoldConfig,
  undocumentedProfileProblems,
  withProfile,
} from './lib/skaffold';
import { ingressProblems, natsClusterProblems, selectorProblems, serviceAddressProblems, servicePortProblems } from './lib/wiring';

const context = repoBuildContext();
const files = listRepoFiles();

const container = (cluster: Cluster, name: string): IContainer => {
  const found = deployment(cluster, name).spec?.template.spec?.containers[0];
  if (!found) throw new Error(`Deployment ${name} has no container`);
  return found;
};
const service = (cluster: Cluster, name: string): IService => {
  const found = cluster.services.find((candidate) => nameOf(candidate) === name);
  if (!found) throw new Error(`no Service ${name}`);
  return found;
};
const servicePort = (cluster: Cluster, name: string) => {
  const port = service(cluster, name).spec?.ports?.[0];
  if (!port) throw new Error(`Service ${name} has no port`);
  return port;
};
const withoutEnv = (target: IContainer, name: string) => {
  target.env = (target.env ?? []).filter((variable) => variable.name !== name);
};
const withFile = (relative: string, text: string) => ({
  ...context,
  read: (file: string) => (file === relative ? text : context.read(file)),
});

describe('a renamed Service', () => {
  it('is an Ingress backend that points nowhere', () => {
    const cluster = loadCluster();
    service(cluster, 'auth-srv').metadata = { name: 'auth-service' };
    reports(ingressProblems(cluster), 'Ingress path /api/users -> auth-srv:3000: no Service named auth-srv');
  });

  it('is a connection string that points nowhere', () => {
    const cluster = loadCluster();
    service(cluster, 'orders-mongo-srv').metadata = { name: 'orders-db' };
    reports(serviceAddressProblems(cluster), 'MONGO_URI=mongodb://orders-mongo-srv:27017/orders: no Service named orders-mongo-srv');
  });

  it('is a NATS_URL that points nowhere', () => {
    const cluster = loadCluster();
    service(cluster, 'nats-srv').metadata = { name: 'nats' };
    reports(
      serviceAddressProblems(cluster),
      'Deployment orders-depl: NATS_URL=nats://orders:$(NATS_PASSWORD)@nats-srv:4222: no Service named nats-srv',
    );
  });

  it('is a REDIS_HOST that points nowhere', () => {
    const cluster = loadCluster();
    service(cluster, 'expiration-redis-srv').metadata = { name: 'redis' };
    reports(serviceAddressProblems(cluster), 'REDIS_HOST=expiration-redis-srv: no Service named expiration-redis-srv');
  });
});

describe('a wrong port', () => {
  it("in a Service's targetPort misses the container", () => {
    const cluster = loadCluster();
    servicePort(cluster, 'tickets-srv').targetPort = 3001;
    reports(
      servicePortProblems(cluster),
      'Service tickets-srv port 3000: targetPort 3001 is not a container port of Deployment tickets-depl',
    );
    reports(ingressProblems(cluster), 'Ingress path /api/tickets -> tickets-srv:3000');
  });

  it('in an Ingress backend names a port the Service lacks', () => {
    const cluster = loadCluster();
    const backend = cluster.ingresses[0].spec?.rules?.[0].http?.paths[2].backend.service;
    if (!backend) throw new Error('no third Ingress path');
    backend.port = { number: 4000 };
    reports(ingressProblems(cluster), 'Ingress path /api/orders -> orders-srv:4000: Service orders-srv has no port 4000');
  });

  it('in a container port leaves the Service, the probes and the listening port behind', () => {
    const cluster = loadCluster();
    const payments = container(cluster, 'payments-depl');
    payments.ports = [{ name: 'http', containerPort: 8080 }];
    reports(
      servicePortProblems(cluster),
      'Service payments-srv port 3000: targetPort 3000 is not a container port of Deployment payments-depl',
    );
    reports(podResourceProblems(cluster), 'Deployment payments-depl container payments: readinessProbe checks port 3000');
    reports(
      serviceProbeProblems(loadSkaffoldConfig(), cluster, context, 3000),
      'the service listens on 3000, which the container does not declare',
    );
  });

  it('in a connection string names a port the Service does not serve', () => {
    const cluster = loadCluster();
    const uri = container(cluster, 'auth-depl').env?.find((variable) => variable.name === 'MONGO_URI');
    if (!uri) throw new Error('auth-depl has no MONGO_URI');
    uri.value = 'mongodb://auth-mongo-srv:27018/auth';
    reports(serviceAddressProblems(cluster), 'Service auth-mongo-srv has no port 27018');
  });
});

describe('a missing env var', () => {
  const config = loadSkaffoldConfig();

  it('that index.ts requires is reported for the Deployment', () => {
    const cluster = loadCluster();
    withoutEnv(container(cluster, 'payments-depl'), 'STRIPE_KEY');
    expect(serviceEnvProblems(config, cluster, context)).toEqual([
      'Deployment payments-depl (payments/src/index.ts): STRIPE_KEY is required but not provided',
    ]);
  });

  it('that runService derives from mongo: true (MONGO_URI) is reported', () => {
    const cluster = loadCluster();
    withoutEnv(container(cluster, 'tickets-depl'), 'MONGO_URI');
    reports(serviceEnvProblems(config, cluster, context), 'tickets-depl (tickets/src/index.ts): MONGO_URI is required');
  });

  it('that comes from a ConfigMap which is gone is reported (NATS_CLUSTER_ID, NODE_ENV)', () => {
    const cluster = loadCluster();
    cluster.configMaps = cluster.configMaps.filter((configMap) => nameOf(configMap) !== 'nats-config');
    const problems = serviceEnvProblems(config, cluster, context);
    reports(problems, 'orders-depl (orders/src/index.ts): envFrom: no ConfigMap named nats-config');
    reports(problems, 'orders-depl (orders/src/index.ts): NATS_CLUSTER_ID is required but not provided');
  });

  it('that a service newly requires in its index.ts is reported until the Deployment provides it', () => {
    const entry = 'auth/src/index.ts';
    const changed = readRepoFile(entry).replace("env: ['JWT_KEY', 'REDIS_HOST']", "env: ['JWT_KEY', 'REDIS_HOST', 'PEPPER']");
    expect(changed).toContain('PEPPER');
    reports(
      serviceEnvProblems(config, loadCluster(), withFile(entry, changed)),
      'auth-depl (auth/src/index.ts): PEPPER is required but not provided',
    );
  });

  it('that only an optional Secret reference would provide does not count', () => {
    const cluster = loadCluster();
    const jwt = container(cluster, 'orders-depl').env?.find((variable) => variable.name === 'JWT_KEY')?.valueFrom?.secretKeyRef;
    if (!jwt) throw new Error('orders-depl reads no JWT_KEY Secret');
    jwt.optional = true;
    reports(serviceEnvProblems(config, cluster, context), 'orders-depl (orders/src/index.ts): JWT_KEY is required but not provided');
  });

  it('cannot hide behind a runService argument the reader cannot see', () => {
    expect(() => readServiceRequirements('x.ts', "runService({ name: 'x', app, env: required, mongo: true });")).toThrow(
      "runService's env is not an array literal",
    );
    expect(readServiceRequirements('x.ts', "void runService({ name: 'x', app, env: ['A'], eventBus: false });")).toEqual({
      name: 'x',
      env: ['A'],
      mongo: false,
      eventBus: false,
    });
  });
});

describe('an image not built by skaffold', () => {
  const config = loadSkaffoldConfig();

  it('running in a Deployment is reported, and so is the image skaffold builds that nothing runs', () => {
    const cluster = loadCluster();
    container(cluster, 'orders-depl').image = 'ticketing/order';
    expect(imageProblems(config, cluster)).toEqual([
      'skaffold builds ticketing/orders but no Deployment runs it',
      'Deployment orders-depl runs ticketing/order, which skaffold does not build',
    ]);
  });

  it('when skaffold stops building it is reported', () => {
    const fewer: SkaffoldConfig = {
      ...config,
      build: { ...config.build, artifacts: config.build.artifacts.filter((a) => a.image !== 'ticketing/client') },
    };
    expect(imageProblems(fewer, loadCluster())).toEqual(['Deployment client-depl runs ticketing/client, which skaffold does not build']);
  });

  it('that is third-party must carry a tag', () => {
    const cluster = loadCluster();
    container(cluster, 'nats-depl').image = 'nats-streaming';
    expect(imagePinProblems(cluster, builtImages(config))).toEqual([
      'Deployment nats-depl: image nats-streaming is neither built by skaffold nor pinned to a tag',
    ]);
  });
});

describe('a Secret', () => {
  it('renamed in a Deployment is undocumented', () => {
    const cluster = loadCluster();
    const stripe = container(cluster, 'payments-depl').env?.find((variable) => variable.name === 'STRIPE_KEY')?.valueFrom?.secretKeyRef;
    if (!stripe) throw new Error('payments-depl reads no STRIPE_KEY Secret');
    stripe.name = 'stripe-keys';
    reports(
      undocumentedSecretProblems(secretRefs(cluster), readSetupDocs()),
      'Secret stripe-keys is read but no documented `kubectl create secret generic stripe-keys` creates it',
    );
  });

  it('key missing from the documented command is undocumented', () => {
    const docs = readSetupDocs().replace(/--from-literal=JWT_KEY=/g, '--from-literal=JWT=');
    reports(
      undocumentedSecretProblems(secretRefs(loadCluster()), docs),
      'key JWT_KEY of Secret jwt-secret is read but the documented command does not set it',
    );
  });

  it('value written into a manifest is reported, and so is a Secret object', () => {
    const cluster = loadCluster();
    const jwt = container(cluster, 'auth-depl').env?.find((variable) => variable.name === 'JWT_KEY');
    if (!jwt) throw new Error('auth-depl has no JWT_KEY');
    jwt.value = 'not-so-secret';
    delete jwt.valueFrom;
    cluster.secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'jwt-secret' }, stringData: { JWT_KEY: 'x' } });
    expect(plaintextSecretProblems(cluster)).toEqual([
      'Secret jwt-secret is committed; create it with kubectl instead',
      'Deployment auth-depl: JWT_KEY is not read from a Secret',
    ]);
  });
});

describe('a manifest', () => {
  it('that is not valid YAML is reported with its file', () => {
    const { problems } = parseManifests([{ file: 'infra/k8s/broken.yaml', text: 'kind: Service\nmetadata:\n  name: [oops\n' }]);
    reports(problems, 'infra/k8s/broken.yaml (document 1)');
  });

  it('that breaks the Kubernetes schema is reported', () => {
    const manifests = loadManifests();
    const auth = manifests.find((manifest) => manifest.file.endsWith('auth-depl.yaml') && manifest.object.kind === 'Deployment');
    if (!auth) throw new Error('no auth Deployment');
    const spec = (auth.object.spec as IDeployment['spec'])?.template.spec;
    if (!spec) throw new Error('auth Deployment has no pod spec');
    spec.containers[0].ports = [{ containerPort: 'http' as unknown as number }];
    reports(schemaProblems(manifests), 'Deployment auth-depl: data/spec/template/spec/containers/0/ports/0/containerPort must be integer');
  });

  it('of a kind without a schema is reported', () => {
    reports(
      schemaProblems([{ file: 'x.yaml', index: 0, object: { apiVersion: 'example.com/v1', kind: 'Widget' } }]),
      'no Kubernetes schema for example.com/v1 Widget',
    );
  });

  it('with a misspelt field is reported, though the schema lets it through', () => {
    const manifests = loadManifests();
    const client = manifests.find((manifest) => manifest.file.endsWith('client-depl.yaml') && manifest.object.kind === 'Deployment');
    const first = (client?.object.spec as IDeployment['spec'])?.template.spec?.containers[0] as unknown as Record<string, unknown>;
    first.readinesProbe = first.readinessProbe;
    delete first.readinessProbe;
    expect(schemaProblems(manifests)).toEqual([]);
    reports(unknownFieldProblems(manifests), "'\"readinesProbe\"' does not exist in type 'IContainer'");
  }, 60_000);
});

describe('a Deployment', () => {
  it('whose selector misses its pods, or that no Service selects, is reported', () => {
    const cluster = loadCluster();
    const tickets = deployment(cluster, 'tickets-depl');
    if (tickets.spec) tickets.spec.selector.matchLabels = { app: 'ticket' };
    const problems = selectorProblems(cluster);
    reports(problems, 'Deployment tickets-depl: selector app=ticket does not match its pod labels');
    const expiration = deployment(cluster, 'expiration-depl');
    if (expiration.spec?.template.metadata) expiration.spec.template.metadata.labels = { app: 'expiry' };
    reports(selectorProblems(cluster), 'Deployment expiration-depl: no Service selects its pods');
  });

  it('without resources or probes is reported', () => {
    const cluster = loadCluster();
    const orders = container(cluster, 'orders-depl');
    delete orders.resources?.limits;
    delete orders.livenessProbe;
    const problems = podResourceProblems(cluster);
    reports(problems, 'Deployment orders-depl container orders: no cpu limit');
    reports(problems, 'Deployment orders-depl container orders: no livenessProbe');
  });

  it('that probes something other than /healthz is reported', () => {
    const cluster = loadCluster();
    const probe = container(cluster, 'tickets-depl').readinessProbe?.httpGet;
    if (!probe) throw new Error('tickets-depl has no HTTP readiness probe');
    probe.path = '/';
    reports(
      serviceProbeProblems(loadSkaffoldConfig(), cluster, context, 3000),
      'container tickets: readinessProbe is not GET /healthz on port 3000',
    );
  });

  it('with no time to drain after SIGTERM, or no preStop pause, is reported', () => {
    const cluster = loadCluster();
    const auth = deployment(cluster, 'auth-depl').spec?.template.spec;
    if (auth) auth.terminationGracePeriodSeconds = 10;
    delete container(cluster, 'client-depl').lifecycle;
    const problems = gracefulShutdownProblems(cluster, builtImages(loadSkaffoldConfig()));
    reports(problems, 'Deployment auth-depl container auth: terminationGracePeriodSeconds 10 leaves less than 20s');
    reports(problems, 'Deployment client-depl container client: no preStop sleep before SIGTERM');
  });

  it('whose database loses its volume, or shares it during a rolling update, is reported', () => {
    const cluster = loadCluster();
    const mongo = deployment(cluster, 'payments-mongo-depl');
    if (mongo.spec) mongo.spec.strategy = { type: 'RollingUpdate' };
    container(cluster, 'expiration-redis-depl').volumeMounts = [];
    cluster.claims = cluster.claims.filter((claim) => nameOf(claim) !== 'nats-pvc');
    const problems = volumeProblems(cluster);
    reports(problems, 'Deployment payments-mongo-depl volume claim payments-mongo-pvc: ReadWriteOnce needs strategy Recreate');
    reports(problems, 'Deployment nats-depl volume claim nats-pvc: no PersistentVolumeClaim with that name');
    reports(persistenceProblems(cluster), 'Deployment expiration-redis-depl: /data is not on a volume claim');
  });

  it('of NATS started with another cluster id than the services use is reported', () => {
    const cluster = loadCluster();
    const nats = container(cluster, 'nats-depl');
    nats.args = (nats.args ?? []).map((arg) => (arg.startsWith('-cid') ? '-cid=other' : arg));
    expect(natsClusterProblems(cluster)).toEqual(
      ['tickets-depl', 'orders-depl', 'payments-depl', 'balances-depl', 'expiration-depl', 'live-depl', 'queue-depl']
        .sort()
        .map((name) => `Deployment ${name}: NATS_CLUSTER_ID=ticketing, but Deployment nats-depl runs cluster id other`),
    );
  });
});

describe('skaffold.yaml', () => {
  const original = parseSkaffold(readRepoFile('skaffold.yaml')) as SkaffoldConfig;
  const changed = (change: (config: SkaffoldConfig) => void): SkaffoldConfig => {
    const copy = structuredClone(original);
    change(copy);
    return copy;
  };

  it('with a misspelt field, a push that is no boolean or an old apiVersion fails its schema', () => {
    const misspelt = changed((config) => {
      const docker = config.build.artifacts[0].docker as unknown as Record<string, unknown>;
      docker.dockerfle = docker.dockerfile;
      delete docker.dockerfile;
    });
    reports(checkSkaffold(misspelt).problems, 'skaffold.yaml/build/artifacts/0/docker: must have required property');
    reports(checkSkaffold(misspelt).problems, '"additionalProperty":"dockerfle"');
    reports(
      checkSkaffold(changed((config) => ((config.build.local as Record<string, unknown>).push = 'yes'))).problems,
      'skaffold.yaml/build/local/push: must be boolean',
    );
    reports(checkSkaffold(changed((config) => (config.apiVersion = 'skaffold/v2beta29'))).problems, 'skaffold.yaml/apiVersion');
  });

  it('naming a missing Dockerfile or stage, or syncing to the wrong place, is reported', () => {
    const config = changed((c) => {
      c.build.artifacts[0].docker.dockerfile = 'auth/Dockerfile';
      c.build.artifacts[1].docker.target = 'develop';
      const rule = c.build.artifacts[2].sync?.manual[0];
      if (rule) rule.dest = 'src';
    });
    const [auth, tickets, orders] = config.build.artifacts;
    expect(artifactProblems(auth, context, files)).toEqual(['artifact ticketing/auth: no Dockerfile at auth/Dockerfile']);
    expect(artifactProblems(tickets, context, files)).toEqual([
      'artifact ticketing/tickets: Dockerfile [SERVICE=tickets] has no stage develop',
    ]);
    reports(
      artifactProblems(orders, context, files),
      'artifact ticketing/orders: sync puts orders/src/index.ts at /app/orders/src/src/index.ts, where stage dev has no such file',
    );
  });

  it('naming a missing Dockerfile fails every check of the Dockerfile, not only the first', () => {
    const [auth] = changed((c) => {
      c.build.artifacts[0].docker.dockerfile = 'auth/Dockerfile';
    }).build.artifacts;
    const checks = [
      (dockerfile: Dockerfile) => finalImageProblems(dockerfile, context),
      (dockerfile: Dockerfile) => contextCopyProblems(dockerfile, context),
      (dockerfile: Dockerfile) => buildArgProblems(auth, dockerfile),
    ];
    expect(checks.map((check) => dockerfileProblems(auth, context, check))).toEqual(checks.map(() => ['no Dockerfile at auth/Dockerfile']));
  });

  it('building a service without its SERVICE, or passing an argument the Dockerfile does not declare, is reported', () => {
    const config = changed((c) => {
      delete c.build.artifacts[0].docker.buildArgs;
      c.build.artifacts[1].docker.buildArgs = { SERVICE: 'tickets', NODE_VERSION: '22' };
    });
    const [auth, tickets] = config.build.artifacts;
    reports(artifactProblems(auth, context, files), 'COPY names ${SERVICE}, which is no build argument with a value in stage deps');
    reports(artifactProblems(auth, context, files), 'Dockerfile stage dev: CMD names src/index.ts, which the build does not produce');
    expect(artifactProblems(tickets, context, files)).toEqual([
      'artifact ticketing/tickets: passes NODE_VERSION, which Dockerfile [SERVICE=tickets NODE_VERSION=22] does not declare with ARG',
    ]);
    expect(sharedDockerfileProblems(config, ['auth', 'tickets'])).toEqual([
      'ticketing/auth is built with SERVICE=(none), not SERVICE=auth',
    ]);
  });

  it('building a service from a Dockerfile of its own, or with the wrong SERVICE, is reported', () => {
    const config = changed((c) => {
      c.build.artifacts[0].docker.dockerfile = 'auth/Dockerfile';
      c.build.artifacts[1].docker.buildArgs = { SERVICE: 'orders' };
    });
    expect(sharedDockerfileProblems(config, ['auth', 'tickets', 'gateway'])).toEqual([
      "ticketing/auth is built from auth/Dockerfile, not the services' Dockerfile",
      'ticketing/tickets is built with SERVICE=orders, not SERVICE=tickets',
      'skaffold.yaml builds no ticketing/gateway',
    ]);
  });

  it('with a profile patch that points at nothing is reported', () => {
    const config = changed((c) => {
      c.profiles?.[0].patches.push({ op: 'remove', path: '/build/artifacts/9/docker/target' });
    });
    expect(patchProblems(config)).toEqual(['profile production: remove /build/artifacts/9/docker/target points at nothing']);
  });

  it('with a profile the deployment docs never show in use is reported', () => {
    const docs = readSetupDocs();
    const without = docs.replace(/skaffold dev -p mongo-replicaset/g, 'skaffold dev');
    expect(without).not.toBe(docs);
    expect(undocumentedProfileProblems(original, without)).toEqual([
      'profile mongo-replicaset: no `skaffold dev -p mongo-replicaset` (or run) in the docs',
    ]);
    expect(undocumentedProfileProblems(original, docs.replace(/-p production,jetstream/g, '-p production'))).toEqual([]);
  });

  it('whose production profile forgets an artifact is reported', () => {
    const config = changed((c) => {
      c.profiles?.[0].patches.pop();
    });
    expect(productionProfileProblems(config)).toEqual(['profile production still builds ticketing/client at stage dev']);
  });

  it('whose production profile drops or changes build arguments is reported', () => {
    const config = changed((c) => {
      c.profiles?.[0].patches.push(
        { op: 'remove', path: '/build/artifacts/0/docker/buildArgs' },
        { op: 'replace', path: '/build/artifacts/1/docker/buildArgs/SERVICE', value: 'orders' },
      );
    });
    expect(productionProfileProblems(config)).toEqual([
      'profile production builds ticketing/auth with build arguments {}, not {"SERVICE":"auth"}',
      'profile production builds ticketing/tickets with build arguments {"SERVICE":"orders"}, not {"SERVICE":"tickets"}',
    ]);
    reports(sharedDockerfileProblems(withProfile(config, 'production'), ['auth']), 'ticketing/auth is built with SERVICE=(none)');
  });
});

describe('a Dockerfile', () => {
  const text = readRepoFile('Dockerfile');
  const file = 'Dockerfile [SERVICE=auth]';
  const parse = (changed: string) => parseDockerfile(file, changed, { SERVICE: 'auth' });
  const problemsOf = (changed: string) => {
    expect(changed).not.toBe(text);
    return finalImageProblems(parse(changed), context);
  };

  it('whose CMD runs a path the build does not produce is reported', () => {
    reports(
      problemsOf(text.replace('CMD ["node", "build/index.js"]', 'CMD ["node", "dist/index.js"]')),
      'CMD names dist/index.js, which the build does not produce',
    );
    reports(problemsOf(text.replace('CMD ["node", "build/index.js"]', 'CMD node build/index.js')), 'CMD is missing or not in exec form');
  });

  it('whose CMD is not compiled because tsc builds another project is reported', () => {
    reports(problemsOf(text.replace('npx tsc -b ${SERVICE}', 'npx tsc -b common')), 'CMD names build/index.js');
  });

  it('whose stage forgets to declare the build argument it uses is reported', () => {
    const changed = text.replace(/(FROM node:[\w.]+-alpine\n)ARG SERVICE\n/, '$1');
    expect(changed).not.toBe(text);
    reports(unexpandedProblems(parse(changed)), 'WORKDIR names ${SERVICE}, which is no build argument with a value in stage 4');
    reports(problemsOf(changed), 'CMD names build/index.js, which the build does not produce');
  });

  it('running as root, on a full base image, or in one stage is reported', () => {
    reports(problemsOf(text.replace(/\nUSER node\nEXPOSE/, '\nEXPOSE')), 'the final stage runs as root (no USER)');
    reports(
      problemsOf(text.replace(/FROM node:[\w.]+-alpine\nARG SERVICE\nENV NODE_ENV/, 'FROM node:24\nARG SERVICE\nENV NODE_ENV')),
      'the final stage is based on node:24, not an alpine or slim image',
    );
    const single =
      'FROM node:24-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npx tsc -b auth\nUSER node\nCMD ["node", "auth/build/index.js"]\n';
    reports(finalImageProblems(parseDockerfile('single', single), context), 'single: not a multi-stage build');
  });

  it('that ships dev dependencies in the final image is reported', () => {
    reports(
      problemsOf(text.replace('COPY --from=prod-deps /app ./', 'COPY --from=build /app ./')),
      'the final stage copies node_modules from stage build, which installs dev dependencies',
    );
  });

  it('copying what the build context lacks is reported', () => {
    const changed = text.replace('COPY ${SERVICE}/ ${SERVICE}/', 'COPY ${SERVICE}/ ${SERVICE}/\nCOPY local/ local/');
    expect(changed).not.toBe(text);
    reports(contextCopyProblems(parse(changed), context), 'COPY local: not in the build context');
  });

  it('image that would lack a peer dependency of @ticketing/common is reported', () => {
    // npm leaves a workspace's peer dependency out of an image that installs only one service's packages.
    const common = JSON.parse(readRepoFile('common/package.json')) as { peerDependencies?: Record<string, string> };
    common.peerDependencies = { bull: '^4.0.0' };
    reports(
      workspacePeerProblems(loadSkaffoldConfig(), withFile('common/package.json', JSON.stringify(common))),
      'auth/package.json: depends on @ticketing/common, whose peer dependency bull it does not list',
    );
  });

  it("whose build context would carry node_modules is reported by .dockerignore's check", () => {
    const loose = context.dockerignore.filter((line) => !line.includes('node_modules'));
    expect(isIgnored('auth/node_modules', loose)).toBe(false);
    expect(isIgnored('auth/node_modules', context.dockerignore)).toBe(true);
  });
});
