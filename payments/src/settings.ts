import { STRIPE_CALL_LIMIT_MS } from './stripe';

const numberFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return value;
};

/** Charges one process makes at the same time. */
export const workerConcurrency = () => numberFromEnv('PAYMENT_WORKER_CONCURRENCY', 8);

/**
 * A pending attempt this old is resolved by the reconciler. By default it is past the longest a
 * charge can take, so the attempt's worker has given up; earlier is safe too (the reconciler sends
 * the same request with the same idempotency key), only wasteful.
 */
export const reconcileAfterMs = () => numberFromEnv('PAYMENT_RECONCILE_AFTER_MS', STRIPE_CALL_LIMIT_MS + 30_000);

/** How often the reconciler looks for old pending attempts and for refunds due. */
export const reconcileIntervalMs = () => numberFromEnv('PAYMENT_RECONCILE_INTERVAL_MS', 30_000);
