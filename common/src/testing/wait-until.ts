/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined; throws, naming `what`, when the time is up. */
export const eventually = async <T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
};

/** Polls until `condition` holds; throws, naming `what`, when the time is up. */
export const waitUntil = async (condition: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> => {
  await eventually(async () => ((await condition()) ? true : undefined), timeoutMs, what);
};
