import { reconcileAfterMs } from '../config';
import { apiBase, stripe } from '../stripe';
import { STRIPE_CALL_LIMIT_MS, STRIPE_NETWORK_RETRIES } from '../stripe-limits';

it('talks to api.stripe.com when no STRIPE_API_URL is given', () => {
  expect(apiBase(undefined)).toEqual({});
});

it('points the client at the host, port and protocol of STRIPE_API_URL', () => {
  expect(apiBase('http://127.0.0.1:12111')).toEqual({ host: '127.0.0.1', port: '12111', protocol: 'http' });
});

it("uses the protocol's default port when the URL names none", () => {
  expect(apiBase('https://stripe.internal')).toEqual({ host: 'stripe.internal', port: 443, protocol: 'https' });
  expect(apiBase('http://stripe-mock')).toEqual({ host: 'stripe-mock', port: 80, protocol: 'http' });
});

it('bounds how long a charge can take, well within the age at which the reconciler resolves a pending attempt', () => {
  expect(stripe().getMaxNetworkRetries()).toBe(STRIPE_NETWORK_RETRIES);
  // STRIPE_CALL_LIMIT_MS counts 5 s of back-off per retry.
  expect(stripe().getMaxNetworkRetryDelay()).toBeLessThanOrEqual(5);
  expect(reconcileAfterMs() - STRIPE_CALL_LIMIT_MS).toBeGreaterThanOrEqual(30_000);
});
