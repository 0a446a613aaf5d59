import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { repoRoot } from '../infra/tools';
import { startInfra } from '../infra/start-infra';
import { parseTestArgs, TestSelection, testUsage } from './test-args';

/** Every package with a jest suite, in the order a failure is most telling. */
export const testPackages = ['common', 'auth', 'tickets', 'orders', 'payments', 'balances', 'expiration', 'live', 'queue', 'infra', 'local'];

interface JestTotals {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTests: number;
}

const runJest = (pkg: string, env: NodeJS.ProcessEnv, extraArgs: string[]): Promise<JestTotals | undefined> => {
  const outputFile = path.join(os.tmpdir(), `ticketing-jest-${pkg}-${process.pid}.json`);
  const jestBin = path.join(repoRoot, 'node_modules/jest/bin/jest.js');
  const child = spawn(process.execPath, [jestBin, '--ci', '--json', `--outputFile=${outputFile}`, ...extraArgs], {
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
  const packages = selection.packages.filter((pkg) => fs.existsSync(path.join(repoRoot, pkg, 'jest.config.js')));

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
      console.log(`\n[test] ${pkg}`);
      const totals = await runJest(pkg, { ...process.env, ...infra.env }, jestArgs);
      if (!totals) {
        broken.push(pkg);
        failed += 1;
        continue;
      }
      passed += totals.numPassedTests;
      failed += totals.numFailedTests;
      skipped += totals.numPendingTests;
      if (totals.numFailedTests > 0 || totals.numTotalTests === 0) broken.push(pkg);
    }
  } finally {
    await infra.stop();
  }

  console.log(`\n[test] packages: ${packages.join(', ')}`);
  if (broken.length > 0) console.log(`[test] failing: ${broken.join(', ')}`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return broken.length === 0 ? 0 : 1;
};
