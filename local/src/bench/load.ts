import fs from 'fs';

/** Latencies in ms, summarised by nearest rank. */
export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

export interface LoadResult<T> {
  results: T[];
  latenciesMs: number[];
  elapsedMs: number;
  /** Completed calls per second over the whole run. */
  perSecond: number;
}

/**
 * Runs `count` calls of `task`, at most `inFlight` at a time, timing each one.
 * Bounded by count, and by `deadlineMs`: calls not started by then are skipped.
 */
export const runLoad = async <T>(
  count: number,
  inFlight: number,
  task: (i: number) => Promise<T>,
  deadlineMs = 10 * 60_000,
): Promise<LoadResult<T>> => {
  const results: T[] = [];
  const latenciesMs: number[] = [];
  const startedAt = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < count && Date.now() - startedAt < deadlineMs) {
      const i = next++;
      const callStartedAt = Date.now();
      results[i] = await task(i);
      latenciesMs.push(Date.now() - callStartedAt);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  const elapsedMs = Date.now() - startedAt;
  return { results, latenciesMs, elapsedMs, perSecond: (latenciesMs.length * 1000) / Math.max(1, elapsedMs) };
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of a process, from Linux's /proc. */
export const rssBytes = (pid: number): number => {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line[1]) * 1024;
};

export const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
