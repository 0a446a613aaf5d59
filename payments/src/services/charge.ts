import Stripe from 'stripe';
import { ChargeRequest } from '../models/payment';
import { stripe } from '../stripe';

export type ChargeOutcome = { charged: true; stripeId: string } | { charged: false; reason: string };

/** A declined card or a bad token: final for this attempt, and the reason goes back to the buyer. */
const isDecline = (err: unknown): err is Stripe.errors.StripeError =>
  err instanceof Stripe.errors.StripeCardError || err instanceof Stripe.errors.StripeInvalidRequestError;

/**
 * Sends the attempt's stored request with its idempotency key: however often it is sent (a retry, a
 * takeover by the reconciler), Stripe charges once and answers each time with that charge, or with
 * the same decline. Network errors, timeouts and 5xx are thrown, for the caller to retry.
 */
export const sendCharge = async ({ idempotencyKey, ...params }: ChargeRequest): Promise<ChargeOutcome> => {
  try {
    const charge = await stripe().charges.create(params, { idempotencyKey });
    return { charged: true, stripeId: charge.id };
  } catch (err) {
    if (isDecline(err)) return { charged: false, reason: err.message };
    throw err;
  }
};

/**
 * Stripe keeps an idempotency key 24 hours: an attempt sent longer ago than this is not resent before Stripe is
 * asked whether it charged, since a resend past the window would be a new charge (or a new decline).
 */
export const RESEND_WINDOW_MS = 23 * 60 * 60 * 1000;

/** What Stripe did with an attempt, found by its metadata: the charge (or the decline) it made, or nothing. */
export const lookUpCharge = async ({ metadata }: ChargeRequest): Promise<ChargeOutcome | undefined> => {
  const query = `metadata['paymentId']:'${metadata.paymentId}' AND metadata['attempt']:'${metadata.attempt}'`;
  const found = await stripe().charges.search({ query, limit: 10 });
  const charges = found.data.filter(
    (charge) => charge.metadata.paymentId === metadata.paymentId && charge.metadata.attempt === metadata.attempt,
  );
  const charged = charges.find((charge) => charge.status === 'succeeded');
  if (charged) return { charged: true, stripeId: charged.id };
  if (charges.some((charge) => charge.status === 'pending'))
    throw new Error(`the charge of attempt ${metadata.attempt} is still pending at Stripe`);
  const declined = charges.find((charge) => charge.status === 'failed');
  return declined ? { charged: false, reason: declined.failure_message ?? 'Your card was declined.' } : undefined;
};
