/** What `npm test -- <args>` asks for: the packages to test, and the arguments for each package's jest. */
export interface TestSelection {
  packages: string[];
  jestArgs: string[];
}

export const testUsage = (known: readonly string[]) => `usage: npm test -- [package ...] [jest option ...]
  packages: ${known.join(', ')} (all of them when none is named)
  from the first argument that starts with "-" on, every argument goes to jest as given:
    npm test -- orders payments
    npm test -- -t "two words"
    npm test -- local --testPathPatterns gateway`;

const firstFlag = (args: string[]): number => {
  const index = args.findIndex((arg) => arg.startsWith('-'));
  return index === -1 ? args.length : index;
};

/**
 * Splits the arguments: the leading bare words name packages; the first argument
 * that starts with `-` and every one after it go to jest unchanged (so a flag's
 * value is never mistaken for a package). Throws on a word that names no package.
 */
export const parseTestArgs = (args: string[], known: readonly string[]): TestSelection => {
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
  };
};
