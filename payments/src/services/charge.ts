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
