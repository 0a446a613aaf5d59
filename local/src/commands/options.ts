/**
 * Parses a command's options: the options, or the exit code to return at once
 * (0 after printing the usage for --help, 2 after naming a bad option).
 */
export const parseOptions = <T extends { help?: boolean }>(usage: string, parse: () => T): T | number => {
  let options: T;
  try {
    options = parse();
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (!options.help) return options;
  console.log(usage);
  return 0;
};
