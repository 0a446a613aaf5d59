import Stripe from 'stripe';
import { requireEnv } from '@ticketing/common';
import { STRIPE_NETWORK_RETRIES, STRIPE_TIMEOUT_MS } from './stripe-limits';

type ApiBase = Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'>;

/** The API at STRIPE_API_URL when it is set (stripe-mock in tests and local runs); api.stripe.com otherwise. */
export const apiBase = (url: string | undefined): ApiBase => {
  if (!url) return {};
  const { hostname, port, protocol } = new URL(url);
  const scheme = protocol === 'http:' ? 'http' : 'https';
  return { host: hostname, port: port || (scheme === 'http' ? 80 : 443), protocol: scheme };
};

let client: Stripe | undefined;

/** Made on first use, so that a missing STRIPE_KEY is reported by the start-up check rather than by an import. */
export const stripe = (): Stripe =>
  (client ??= new Stripe(requireEnv('STRIPE_KEY').STRIPE_KEY, {
    ...apiBase(process.env.STRIPE_API_URL),
    timeout: STRIPE_TIMEOUT_MS,
    maxNetworkRetries: STRIPE_NETWORK_RETRIES,
  }));
