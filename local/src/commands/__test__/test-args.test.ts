import { parseTestArgs } from '../test-args';
import { runTests, testPackages } from '../test';

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

it('refuses a word that names no package, listing the packages', () => {
  expect(() => parse('orders', 'concurent', 'bogus', '-t', 'x')).toThrow(
    'no package named "concurent", "bogus"; the packages are common, auth, tickets, orders, payments, balances, expiration, live, queue, infra, local',
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
