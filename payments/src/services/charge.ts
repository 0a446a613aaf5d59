import Stripe from 'stripe';
import { BadRequestError, toCents } from '@ticketing/common';
import { stripe } from '../stripe';

/** A declined card or a bad token: the payer can fix it, so Stripe's message goes back to them. */
const isPayerError = (err: unknown) =>
  err instanceof Stripe.errors.StripeCardError || err instanceof Stripe.errors.StripeInvalidRequestError;

/**
 * Charges the order's price in exact cents; resolves to the charge id. The key names the order and
 * the claim (at most one per order at a time), so a network retry never charges twice, while a new
 * attempt after a declined card is not answered with the stored decline.
 */
export const chargeOrder = async (orderId: string, claimId: string, price: number, token: string): Promise<string> => {
  try {
    const charge = await stripe().charges.create(
      { currency: 'usd', amount: toCents(price), source: token },
      { idempotencyKey: `charge-${orderId}-${claimId}` },
    );
    return charge.id;
  } catch (err) {
    if (isPayerError(err)) throw new BadRequestError((err as Error).message);
    throw err;
  }
};
