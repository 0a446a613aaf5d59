const DAY_IN_SECONDS = 24 * 60 * 60;

/** Finished jobs a bull queue keeps, per queue: sized to the Redis memory budget in docs/design.md. */
export const RETAINED_JOBS = { completed: 10_000, failed: 2_000 } as const;

/**
 * The retention options of every bull job (expiration's and payments' queues share one Redis). A completed job
 * is kept a day at most, so that a late redelivery still finds it and does not run it twice; a failed one a
 * week at most, for the retry at start-up and an operator, with only its last stack trace (twelve would be
 * 5 KB a job). Beyond the counts the oldest go: orders' expired-order sweeper and payments' reconciler catch
 * up with whatever a lost job would have done.
 */
export const jobRetention = {
  removeOnComplete: { age: DAY_IN_SECONDS, count: RETAINED_JOBS.completed },
  removeOnFail: { age: 7 * DAY_IN_SECONDS, count: RETAINED_JOBS.failed },
  stackTraceLimit: 1,
} as const;
