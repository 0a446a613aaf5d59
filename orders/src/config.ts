import { positiveIntegerFromEnv } from '@ticketing/common';

/** How long a new order holds its ticket unpaid (EXPIRATION_WINDOW_SECONDS); read per order, so tests can shorten it. */
export const expirationWindowSeconds = (): number => positiveIntegerFromEnv('EXPIRATION_WINDOW_SECONDS', 15 * 60);

export const expiresAtFromNow = () => new Date(Date.now() + expirationWindowSeconds() * 1000);

/** HOLD_REPAIR_INTERVAL_MS: how often the hold repairer's pass runs (a minute; the fault tests run it every second). */
export const holdRepairIntervalMs = () => positiveIntegerFromEnv('HOLD_REPAIR_INTERVAL_MS', 60_000);
