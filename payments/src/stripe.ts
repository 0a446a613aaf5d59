import Stripe from 'stripe';
import { requireEnv } from '@ticketing/common';

type ApiBase = Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'>;

/** The API at STRIPE_API_URL when it is set (stripe-mock in tests and local runs); api.stripe.com otherwise. */
export const apiBase = (url: string | undefined): ApiBase => {
  if (!url) return {};
  const { hostname, port, protocol } = new URL(url);
  const scheme = protocol === 'http:' ? 'http' : 'https';
  return { host: hostname, port: port || (scheme === 'http' ? 80 : 443), protocol: scheme };
};

/** Each try of a request waits this long for Stripe (the client's default is 80 s); network errors are retried. */
const STRIPE_TIMEOUT_MS = 20_000;
export const STRIPE_NETWORK_RETRIES = 2;
/** The client's back-off before a retry never exceeds 5 s. */
const MAX_RETRY_DELAY_MS = 5_000;

/** The longest one call to Stripe can take, every try timing out: a charge older than this has ended. */
export const STRIPE_CALL_LIMIT_MS = (STRIPE_NETWORK_RETRIES + 1) * STRIPE_TIMEOUT_MS + STRIPE_NETWORK_RETRIES * MAX_RETRY_DELAY_MS;

let client: Stripe | undefined;

/** Made on first use, so that a missing STRIPE_KEY is reported by the start-up check rather than by an import. */
export const stripe = (): Stripe =>
  (client ??= new Stripe(requireEnv('STRIPE_KEY').STRIPE_KEY, {
    ...apiBase(process.env.STRIPE_API_URL),
    timeout: STRIPE_TIMEOUT_MS,
    maxNetworkRetries: STRIPE_NETWORK_RETRIES,
  }));
