/** At most two decimals, no sign, no exponent: the only prices the API accepts. */
const MONEY = /^\d+(\.\d{1,2})?$/;

/** What Stripe can charge in USD: a ticket priced outside it could be ordered but never paid for. */
export const MIN_PRICE = 0.5;
export const MAX_PRICE = 999_999.99;
/** The most Stripe charges at once in USD: an order's total (price × quantity) above it could never be paid for. */
export const MAX_CHARGE_CENTS = 99_999_999;

export const isMoneyAmount = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && MONEY.test(String(value));

/** Exact integer cents from a price with at most two decimals (19.99 -> 1999), by digits, not by `* 100`. */
export const toCents = (price: number): number => {
  const text = String(price);
  if (!MONEY.test(text)) throw new RangeError(`${text} is not an amount with at most two decimals`);
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};
