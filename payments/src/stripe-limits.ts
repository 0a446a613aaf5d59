// Self-contained (no imports): infra/tests reads STRIPE_CALL_LIMIT_MS to check payments' termination grace period.

/** Each try of a request waits this long for Stripe (the client's default is 80 s); network errors are retried. */
export const STRIPE_TIMEOUT_MS = 20_000;
export const STRIPE_NETWORK_RETRIES = 2;
/** The client's back-off before a retry never exceeds 5 s. */
const MAX_RETRY_DELAY_MS = 5_000;

/** The longest one call to Stripe can take, every try timing out: a charge older than this has ended. */
export const STRIPE_CALL_LIMIT_MS = (STRIPE_NETWORK_RETRIES + 1) * STRIPE_TIMEOUT_MS + STRIPE_NETWORK_RETRIES * MAX_RETRY_DELAY_MS;
