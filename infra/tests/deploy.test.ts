// Issue 22, items 10 and 11: the production images reach a registry, payments' pods outlive their last call to
// Stripe, and the images run the Node release the tests run on. Each check is also shown to fail on a changed copy.
import { dockerfilePath, loadDockerfile } from './lib/artifacts';
import { reports } from './lib/expectations';
import { loadCluster, loadSkaffoldConfig, repoBuildContext } from './lib/fixtures';
import { packageNodeProblems, majorOf, nodeImageProblems, pinnedNodeVersion } from './lib/node-runtime';
import { inFlightWorkProblems } from './lib/pods';
import { readRepoFile } from './lib/repo';
import { parseDockerfile } from './lib/dockerfile';
import { pushProblems } from './lib/skaffold';
import { loadTsModule } from './lib/ts-module';

const config = loadSkaffoldConfig();
const context = repoBuildContext();

describe('skaffold.yaml', () => {
  it('pushes the images of the production profile to a registry, and keeps those of skaffold dev local', () => {
    expect(pushProblems(config)).toEqual([]);
  });

  it('with a production profile that does not push, or a dev loop that does, is reported', () => {
    const unpushed = structuredClone(config);
    unpushed.profiles = unpushed.profiles?.map((profile) => ({
      ...profile,
      patches: profile.patches.filter((patch) => patch.path !== '/build/local/push'),
    }));
    reports(pushProblems(unpushed), 'profile production does not push its images');
    const pushing = structuredClone(config);
    pushing.build.local.push = true;
    reports(pushProblems(pushing), 'skaffold dev pushes');
  });
});

describe("payments' termination grace period", () => {
  const limitsFile = 'payments/src/stripe-limits.ts';
  const callLimitMs = Number(loadTsModule(limitsFile).STRIPE_CALL_LIMIT_MS);
  const stripeCall = { deployment: 'payments-depl', workSeconds: Math.ceil(callLimitMs / 1000), what: 'Stripe call' };

  it(`covers the preStop pause and the longest call to Stripe (${limitsFile}), with each profile`, () => {
    expect(callLimitMs).toBeGreaterThan(0);
    for (const profiles of [[], ['production'], ['jetstream'], ['mongo-replicaset']]) {
      expect(inFlightWorkProblems(loadCluster(...profiles), stripeCall)).toEqual([]);
    }
  });

  it('shorter than that call, or than a longer call limit, is reported', () => {
    const cluster = loadCluster();
    const payments = cluster.workloads.find((workload) => workload.metadata?.name === 'payments-depl');
    const spec = payments?.spec?.template.spec;
    if (spec) spec.terminationGracePeriodSeconds = 45;
    reports(inFlightWorkProblems(cluster, stripeCall), 'terminationGracePeriodSeconds 45 is under');
    reports(inFlightWorkProblems(loadCluster(), { ...stripeCall, workSeconds: stripeCall.workSeconds * 2 }), 'is under');
  });
});

describe('the Node release', () => {
  const pinned = pinnedNodeVersion();

  it('is pinned exactly in .node-version', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is the one these tests run on: npm test re-runs itself on it', () => {
    expect(majorOf(process.versions.node)).toBe(majorOf(pinned));
  });

  it.each(config.build.artifacts.map((artifact) => [artifact.image, dockerfilePath(artifact), artifact] as const))(
    'is the one %s is built and runs on (%s)',
    (_image, _file, artifact) => {
      const dockerfile = loadDockerfile(artifact, context);
      expect(dockerfile).toBeDefined();
      if (dockerfile) expect(nodeImageProblems(dockerfile, pinned)).toEqual([]);
    },
  );

  it("is the major of package.json's engines and @types/node", () => {
    expect(packageNodeProblems(readRepoFile('package.json'), pinned)).toEqual([]);
  });

  it('differing in an image, in engines or in @types/node is reported', () => {
    const older = readRepoFile('Dockerfile').replace(/^FROM node:\S+/m, 'FROM node:20-alpine');
    reports(nodeImageProblems(parseDockerfile('Dockerfile', older, { SERVICE: 'orders' }), pinned), 'starts from node:20-alpine');
    reports(
      nodeImageProblems(parseDockerfile('Dockerfile', 'FROM debian:13\nCMD ["sh"]\n'), pinned),
      'no stage starts from the node image',
    );
    const engines = readRepoFile('package.json').replace(/"node": "[^"]*"/, '"node": ">=20.19"');
    reports(packageNodeProblems(engines, pinned), 'engines.node is >=20.19');
    const types = readRepoFile('package.json').replace(/"@types\/node": "[^"]*"/, '"@types/node": "^20.19.0"');
    reports(packageNodeProblems(types, pinned), '@types/node is ^20.19.0, not of Node');
  });
});
