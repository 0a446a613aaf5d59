import { positiveIntegerFromEnv } from '@ticketing/common';
import { STRIPE_CALL_LIMIT_MS } from './stripe-limits';

/** Charges one process makes at the same time. */
export const workerConcurrency = () => positiveIntegerFromEnv('PAYMENT_WORKER_CONCURRENCY', 8);

/**
 * A pending attempt this old is resolved by the reconciler. By default it is past the longest a
 * charge can take, so the attempt's worker has given up; earlier is safe too (the reconciler sends
 * the same request with the same idempotency key), only wasteful.
 */
export const reconcileAfterMs = () => positiveIntegerFromEnv('PAYMENT_RECONCILE_AFTER_MS', STRIPE_CALL_LIMIT_MS + 30_000);

/** How often the reconciler looks for old pending attempts and for refunds due. */
export const reconcileIntervalMs = () => positiveIntegerFromEnv('PAYMENT_RECONCILE_INTERVAL_MS', 30_000);
