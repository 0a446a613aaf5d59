const DEFAULT_SECONDS = 15 * 60;

/** How long a new order holds its ticket unpaid (EXPIRATION_WINDOW_SECONDS); read per order, so tests can shorten it. */
export const expirationWindowSeconds = (): number => {
  const configured = process.env.EXPIRATION_WINDOW_SECONDS;
  if (configured === undefined || configured === '') return DEFAULT_SECONDS;
  const seconds = Number(configured);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`EXPIRATION_WINDOW_SECONDS must be a positive number of seconds, not "${configured}"`);
  }
  return seconds;
};

export const expiresAtFromNow = () => new Date(Date.now() + expirationWindowSeconds() * 1000);
