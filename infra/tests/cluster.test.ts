import { builtImages, loadCluster, loadSkaffoldConfig, readSetupDocs, repoBuildContext } from './lib/fixtures';
import { readHealthEndpoints } from './lib/health';
import { gracefulShutdownProblems, imagePinProblems, persistenceProblems, podResourceProblems, volumeProblems } from './lib/pods';
import { readRepoFile } from './lib/repo';
import { plaintextSecretProblems, secretRefs, undocumentedSecretProblems } from './lib/secrets';
import { defaultListenPort, serviceArtifacts, serviceEnvProblems, serviceProbeProblems } from './lib/services';
import {
  ingressProblems,
  ingressRoutes,
  natsClusterProblems,
  selectorProblems,
  serviceAddressProblems,
  servicePortProblems,
} from './lib/wiring';

const cluster = loadCluster();
const config = loadSkaffoldConfig();
const context = repoBuildContext();

describe('the cluster the manifests describe', () => {
  it('routes the Ingress as the design says: ticketing.dev, API paths to their services, the rest to the client', () => {
    expect(cluster.ingresses.map((ingress) => ingress.spec?.ingressClassName)).toEqual(['nginx', 'nginx', 'nginx']);
    expect(
      ingressRoutes(cluster).map(({ host, path, pathType, service, port }) => `${host}${path} ${pathType} ${service}:${port}`),
    ).toEqual([
      'ticketing.dev/api/users Prefix auth-srv:3000',
      'ticketing.dev/api/tickets Prefix tickets-srv:3000',
      'ticketing.dev/api/orders Prefix orders-srv:3000',
      'ticketing.dev/api/payments Prefix payments-srv:3000',
      'ticketing.dev/api/balances Prefix balances-srv:3000',
      'ticketing.dev/ Prefix client-srv:3000',
      'ticketing.dev/api/live Prefix live-srv:3000',
      'ticketing.dev/api/queue Prefix queue-srv:3000',
    ]);
  });

  it("keeps WebSocket timeouts to live's and queue's own Ingresses: an hour for /api/live and /api/queue, nginx's 60 s default for the rest", () => {
    const timeouts = cluster.ingresses.map((ingress) => {
      const annotations = ingress.metadata?.annotations ?? {};
      const paths = (ingress.spec?.rules ?? []).flatMap((rule) => rule.http?.paths ?? []).map((entry) => entry.path);
      return {
        paths,
        read: annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'],
        send: annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'],
      };
    });
    expect(timeouts).toEqual([
      { paths: ['/api/users', '/api/tickets', '/api/orders', '/api/payments', '/api/balances', '/'], read: undefined, send: undefined },
      { paths: ['/api/live'], read: '3600', send: '3600' },
      { paths: ['/api/queue'], read: '3600', send: '3600' },
    ]);
  });

  it('sends every Ingress backend to an existing Service port that reaches the container port', () => {
    expect(ingressProblems(cluster)).toEqual([]);
  });

  it('has each Deployment selecting its own pods, and a Service selecting every Deployment', () => {
    expect(selectorProblems(cluster)).toEqual([]);
  });

  it("has every Service port lead to a port the selected pods' containers declare", () => {
    expect(servicePortProblems(cluster)).toEqual([]);
  });

  it('connects services only to Services that exist, on ports they serve (Mongo, NATS, Redis)', () => {
    expect(serviceAddressProblems(cluster)).toEqual([]);
  });

  it('gives NATS_CLUSTER_ID the cluster id the NATS Streaming server runs with', () => {
    expect(natsClusterProblems(cluster)).toEqual([]);
  });

  it("provides every variable each service's index.ts requires, and NODE_ENV, to its Deployment", () => {
    expect(serviceArtifacts(config, context).length).toBeGreaterThan(0);
    expect(serviceEnvProblems(config, cluster, context)).toEqual([]);
  });

  it('probes readiness at the endpoint that asks isReady and liveness at one that does not, on the listening port', () => {
    const port = defaultListenPort(readRepoFile('common/src/service/run-service.ts'));
    const file = 'common/src/service/create-app.ts';
    const endpoints = readHealthEndpoints(file, readRepoFile(file));
    expect(serviceProbeProblems(config, cluster, context, port, endpoints)).toEqual([]);
  });

  it('gives every container CPU and memory requests and limits, and readiness and liveness probes', () => {
    expect(podResourceProblems(cluster)).toEqual([]);
  });

  it('gives our containers a preStop pause and a grace period that leaves time to drain after SIGTERM', () => {
    expect(gracefulShutdownProblems(cluster, builtImages(config))).toEqual([]);
  });

  it('runs images skaffold builds, or third-party images pinned to a tag', () => {
    expect(imagePinProblems(cluster, builtImages(config))).toEqual([]);
  });

  it('keeps each database on a volume claim held by one pod at a time', () => {
    expect(persistenceProblems(cluster)).toEqual([]);
    expect(volumeProblems(cluster)).toEqual([]);
  });

  it('commits no secret value: no Secret objects, secret-looking variables read from Secrets', () => {
    expect(plaintextSecretProblems(cluster)).toEqual([]);
  });

  it('documents how to create every Secret key it reads, in the deployment docs', () => {
    const refs = secretRefs(cluster);
    expect(refs.map(({ secret, key }) => `${secret}/${key}`)).toEqual(
      expect.arrayContaining(['jwt-secret/JWT_KEY', 'stripe-secret/STRIPE_KEY']),
    );
    expect(undocumentedSecretProblems(refs, readSetupDocs())).toEqual([]);
  });

  it('gives the admission key to queue, which signs admissions, and orders, which checks them, alone', () => {
    const readers = secretRefs(cluster)
      .filter(({ secret }) => secret === 'admission-secret')
      .map(({ key, by }) => `${by}: ${key}`);
    expect(readers).toEqual(['Deployment orders-depl ADMISSION_KEY: ADMISSION_KEY', 'Deployment queue-depl ADMISSION_KEY: ADMISSION_KEY']);
    const jwtReaders = secretRefs(cluster).filter(({ secret }) => secret === 'jwt-secret');
    expect(jwtReaders.map(({ key }) => key)).not.toContain('ADMISSION_KEY');
  });
});
