/** Prints a measured figure as a `[figure] ...` line, the form the test reports collect. */
export const figure = (line: string) => process.stdout.write(`[figure] ${line}\n`);
