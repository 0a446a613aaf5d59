// Issue 22, item 10: the production images reach a registry, and payments' pods outlive their last call to
// Stripe. Each check is also shown to fail on a changed copy.
import { loadCluster, loadSkaffoldConfig } from './lib/fixtures';
import { inFlightWorkProblems } from './lib/pods';
import { pushProblems } from './lib/skaffold';
import { loadTsModule } from './lib/ts-module';

const config = loadSkaffoldConfig();

const reports = (problems: string[], fragment: string) =>
  expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));

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
