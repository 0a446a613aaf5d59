import { apiBase } from '../stripe';

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
