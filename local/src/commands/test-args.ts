/** What `npm test -- <args>` asks for: the packages to test, and the arguments for each package's jest. */
export interface TestSelection {
  packages: string[];
  jestArgs: string[];
  /** `--brokers N`: the nats-servers each JetStream suite's own broker runs as (a cluster of 3), not jest's. */
  brokers?: number;
}

export const testUsage = (known: readonly string[]) => `usage: npm test -- [package ...] [jest option ...]
  packages: ${known.join(', ')} (all of them when none is named)
  from the first argument that starts with "-" on, every argument goes to jest as given:
    npm test -- orders payments
    npm test -- -t "two words"
    npm test -- local --testPathPatterns gateway
  except --brokers N, which is the runner's: each suite that starts its own JetStream broker starts N clustered
    npm test -- local:jetstream --brokers 3 --testPathPatterns replicas`;

/** The arguments without `--brokers N`, and N. */
const takeBrokers = (args: string[]): { rest: string[]; brokers?: number } => {
  const at = args.indexOf('--brokers');
  if (at === -1) return { rest: args };
  const brokers = Number(args[at + 1]);
  if (!Number.isInteger(brokers) || brokers <= 0) throw new Error(`--brokers must be a positive whole number, not "${args[at + 1] ?? ''}"`);
  return { rest: [...args.slice(0, at), ...args.slice(at + 2)], brokers };
};

const firstFlag = (args: string[]): number => {
  const index = args.findIndex((arg) => arg.startsWith('-'));
  return index === -1 ? args.length : index;
};

/**
 * Splits the arguments: the leading bare words name packages; the first argument
 * that starts with `-` and every one after it go to jest unchanged (so a flag's
 * value is never mistaken for a package), but `--brokers N`, the runner's own. Throws on a word that names no package.
 */
export const parseTestArgs = (given: string[], known: readonly string[]): TestSelection => {
  const { rest: args, brokers } = takeBrokers(given);
  const split = firstFlag(args);
  const named = args.slice(0, split);
  const unknown = named.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const list = unknown.map((name) => `"${name}"`).join(', ');
    throw new Error(`no package named ${list}; the packages are ${known.join(', ')}`);
  }
  return {
    packages: named.length === 0 ? [...known] : known.filter((pkg) => named.includes(pkg)),
    jestArgs: args.slice(split),
    ...(brokers === undefined ? {} : { brokers }),
  };
};
