import { spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { repoRoot } from '../infra/tools';
import { startInfra } from '../infra/start-infra';
import { parseTestArgs, TestSelection, testUsage } from './test-args';

/** `local`'s scenarios run a second time on JetStream (EVENT_BUS=jetstream), as if one more package. */
export const JETSTREAM_RUN = 'local:jetstream';

/** Every package with a jest suite, in the order a failure is most telling. */
export const testPackages = [
  'common',
  'auth',
  'tickets',
  'orders',
  'payments',
  'balances',
  'expiration',
  'live',
  'queue',
  'infra',
  'local',
  JETSTREAM_RUN,
];

/** `local`'s files that need JetStream (a cluster of brokers): run in the JetStream pass only. */
export const jetstreamOnly = ['e2e/__test__/broker-cluster\\.test\\.ts$'];

/**
 * What `local:jetstream` runs unless jest options choose: the purchase flow, the broker restarted
 * during a burst of orders, the oversell race, and the guarantees at three replicas. The whole of `local` on both transports would
 * double the longest package's time; these are the scenarios where the transport's redelivery,
 * durable consumers, dedupe and reconnection decide the outcome.
 */
export const jetstreamSubset: string[][] = [
  ['--testPathPatterns', 'e2e/__test__/purchase\\.test\\.ts$'],
  ['--testPathPatterns', 'e2e/__test__/faults\\.test\\.ts$', '-t', 'restarts during a burst of orders|no oversell'],
  ['--testPathPatterns', 'e2e/__test__/replicas\\.test\\.ts$'],
  ...jetstreamOnly.map((file) => ['--testPathPatterns', file]),
];

interface JestRun {
  /** The package folder jest runs in. */
  dir: string;
  args: string[];
  env?: Record<string, string>;
  /** The subset's `-t` leaves the file's other tests out, which jest reports as skipped: they are not. */
  leavesOut?: boolean;
}

/** The jest runs of one entry of testPackages: one for a package, the subset (or the given options) for local:jetstream. */
export const runsOf = (pkg: string, jestArgs: string[]): JestRun[] => {
  if (pkg === 'local') return [{ dir: pkg, args: ['--testPathIgnorePatterns', '/node_modules/', ...jetstreamOnly, ...jestArgs] }];
  if (pkg !== JETSTREAM_RUN) return [{ dir: pkg, args: jestArgs }];
  const env = { EVENT_BUS: 'jetstream' };
  if (jestArgs.length > 0) return [{ dir: 'local', args: jestArgs, env }];
  return jetstreamSubset.map((args) => ({ dir: 'local', args, env, leavesOut: args.includes('-t') }));
};

const hasSuite = (pkg: string) => runsOf(pkg, []).every(({ dir }) => fs.existsSync(path.join(repoRoot, dir, 'jest.config.js')));

interface JestTotals {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTests: number;
}

const runJest = (pkg: string, env: NodeJS.ProcessEnv, extraArgs: string[]): Promise<JestTotals | undefined> => {
  const outputFile = path.join(os.tmpdir(), `ticketing-jest-${pkg}-${process.pid}-${crypto.randomBytes(4).toString('hex')}.json`);
  const jestBin = path.join(repoRoot, 'node_modules/jest/bin/jest.js');
  // --forceExit: a handle a suite left open must not hang the run until CI's cut-off.
  const child = spawn(process.execPath, [jestBin, '--ci', '--forceExit', '--json', `--outputFile=${outputFile}`, ...extraArgs], {
    cwd: path.join(repoRoot, pkg),
    env,
    stdio: 'inherit',
  });
  return new Promise((resolve) => {
    child.once('exit', () => {
      try {
        resolve(JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestTotals);
      } catch {
        resolve(undefined);
      } finally {
        fs.rmSync(outputFile, { force: true });
      }
    });
  });
};

/** `npm run lint` (tsc -b, ESLint, Prettier's check), from the repository root; resolves whether it passed. */
const runLint = (): Promise<boolean> => {
  const child = spawn('npm', ['run', 'lint'], { cwd: repoRoot, stdio: 'inherit' });
  return new Promise((resolve) => {
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
};

/** What the arguments select, or undefined after saying what is wrong with them. */
const select = (args: string[]): TestSelection | undefined => {
  try {
    return parseTestArgs(args, testPackages);
  } catch (err) {
    console.error(`[test] ${(err as Error).message}\n${testUsage(testPackages)}`);
    return undefined;
  }
};

/**
 * Starts the local infrastructure once, runs each package's jest suite against
 * it, and prints one total line. `npm test -- auth tickets` runs only those;
 * from the first flag on, the arguments go to jest (see parseTestArgs). The full
 * run (no arguments) lints first; a lint failure fails the run, after the suites.
 */
export const runTests = async (args: string[]): Promise<number> => {
  const selection = select(args);
  if (!selection) return 2;
  const { jestArgs } = selection;
  const brokersEnv = selection.brokers === undefined ? {} : { TEST_BROKERS: String(selection.brokers) };
  const packages = selection.packages.filter(hasSuite);

  const broken: string[] = [];
  let failed = 0;
  if (args.length === 0) {
    console.log('\n[test] lint');
    if (!(await runLint())) {
      broken.push('lint');
      failed += 1;
    }
  }

  const infra = await startInfra(['mongo', 'nats', 'redis', 'stripe'], {
    progress: (line) => console.log(`[infra] ${line}`),
  });
  const stop = () => void infra.stop().then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  let passed = 0;
  let skipped = 0;
  try {
    for (const pkg of packages) {
      let ran = 0;
      let pkgFailed = 0;
      for (const run of runsOf(pkg, jestArgs)) {
        console.log(`\n[test] ${pkg}${run.args === jestArgs ? '' : ` ${run.args.join(' ')}`}`);
        const totals = await runJest(run.dir, { ...process.env, ...infra.env, ...brokersEnv, ...run.env }, run.args);
        if (!totals) {
          pkgFailed += 1;
          continue;
        }
        passed += totals.numPassedTests;
        pkgFailed += totals.numFailedTests;
        if (!run.leavesOut) skipped += totals.numPendingTests;
        ran += totals.numTotalTests;
      }
      failed += pkgFailed;
      if (pkgFailed > 0 || ran === 0) broken.push(pkg);
    }
  } finally {
    await infra.stop();
  }

  console.log(`\n[test] packages: ${packages.join(', ')}`);
  if (broken.length > 0) console.log(`[test] failing: ${broken.join(', ')}`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return broken.length === 0 ? 0 : 1;
};
