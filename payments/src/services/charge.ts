import Stripe from 'stripe';
import { BadRequestError, toCents } from '@ticketing/common';
import { stripe } from '../stripe';

/** A declined card or a bad token: the payer can fix it, so Stripe's message goes back to them. */
const isPayerError = (err: unknown) =>
  err instanceof Stripe.errors.StripeCardError || err instanceof Stripe.errors.StripeInvalidRequestError;

/** Charges the order's price in exact cents, at most once per order however often it is retried; resolves to the charge id. */
export const chargeOrder = async (orderId: string, price: number, token: string): Promise<string> => {
  try {
    const charge = await stripe().charges.create(
      { currency: 'usd', amount: toCents(price), source: token },
      { idempotencyKey: `charge-${orderId}` },
    );
    return charge.id;
  } catch (err) {
    if (isPayerError(err)) throw new BadRequestError((err as Error).message);
    throw err;
  }
};
