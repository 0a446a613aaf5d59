import { parseTestArgs } from '../test-args';
import { JETSTREAM_RUN, runsOf, runTests, testPackages } from '../test';

const parse = (...args: string[]) => parseTestArgs(args, testPackages);

it('selects every package when no package is named', () => {
  expect(parse()).toEqual({ packages: testPackages, jestArgs: [] });
});

it('selects the leading bare words as packages, in the runner order', () => {
  expect(parse('payments', 'orders')).toEqual({ packages: ['orders', 'payments'], jestArgs: [] });
});

it('passes a flag and its value to jest, for every package, when no package is named', () => {
  expect(parse('-t', 'concurrent')).toEqual({ packages: testPackages, jestArgs: ['-t', 'concurrent'] });
});

it('keeps an argument with spaces as one argument after the packages', () => {
  expect(parse('local', '-t', 'two words')).toEqual({ packages: ['local'], jestArgs: ['-t', 'two words'] });
});

it('passes everything from the first flag on to jest unchanged, bare words included', () => {
  const jestArgs = ['--testPathPatterns', 'gateway', 'auth', '--', '-x', '', '--ci=false'];
  expect(parse('auth', 'infra', ...jestArgs)).toEqual({ packages: ['auth', 'infra'], jestArgs });
});

it("takes --brokers N as the runner's own, wherever it stands, and refuses a count that is no whole number", () => {
  expect(parse('local:jetstream', '--brokers', '3', '--testPathPatterns', 'replicas')).toEqual({
    packages: ['local:jetstream'],
    jestArgs: ['--testPathPatterns', 'replicas'],
    brokers: 3,
  });
  expect(() => parse('local:jetstream', '--brokers', 'three')).toThrow('--brokers must be a positive whole number, not "three"');
});

it('refuses a word that names no package, listing the packages', () => {
  expect(() => parse('orders', 'concurent', 'bogus', '-t', 'x')).toThrow(
    'no package named "concurent", "bogus"; the packages are common, auth, tickets, orders, payments, balances, expiration, live, queue, infra, local, local:jetstream',
  );
});

it('refuses a flag value placed before the flag', () => {
  expect(() => parse('two words', '-t')).toThrow('no package named "two words"');
});

it('makes the runner exit 2 on an unknown package, before it starts anything, naming the packages and the rule', async () => {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    expect(await runTests(['concurrent'])).toBe(2);
    const printed = errors.mock.calls.flat().join('\n');
    expect(printed).toContain('no package named "concurrent"; the packages are common, auth, tickets');
    expect(printed).toContain('from the first argument that starts with "-" on, every argument goes to jest as given');
  } finally {
    errors.mockRestore();
  }
});

it('runs local:jetstream as local with EVENT_BUS=jetstream: the purchase flow, the broker restart, the oversell race, the replicas file and the broker cluster, or what jest options choose', () => {
  expect(runsOf(JETSTREAM_RUN, [])).toEqual([
    { dir: 'local', args: ['--testPathPatterns', 'e2e/__test__/purchase\\.test\\.ts$'], env: { EVENT_BUS: 'jetstream' }, leavesOut: false },
    {
      dir: 'local',
      args: ['--testPathPatterns', 'e2e/__test__/faults\\.test\\.ts$', '-t', 'restarts during a burst of orders|no oversell'],
      env: { EVENT_BUS: 'jetstream' },
      leavesOut: true,
    },
    { dir: 'local', args: ['--testPathPatterns', 'e2e/__test__/replicas\\.test\\.ts$'], env: { EVENT_BUS: 'jetstream' }, leavesOut: false },
    {
      dir: 'local',
      args: ['--testPathPatterns', 'e2e/__test__/broker-cluster\\.test\\.ts$'],
      env: { EVENT_BUS: 'jetstream' },
      leavesOut: false,
    },
  ]);
  expect(runsOf(JETSTREAM_RUN, ['-t', 'oversell'])).toEqual([{ dir: 'local', args: ['-t', 'oversell'], env: { EVENT_BUS: 'jetstream' } }]);
  // The JetStream-only files (a cluster of brokers) are left out of local's own pass.
  expect(runsOf('local', ['-t', 'oversell'])).toEqual([
    { dir: 'local', args: ['--testPathIgnorePatterns', '/node_modules/', 'e2e/__test__/broker-cluster\\.test\\.ts$', '-t', 'oversell'] },
  ]);
});
