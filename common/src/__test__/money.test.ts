import { isMoneyAmount, toCents } from '../money';

it.each([
  [19.99, 1999],
  [0.1, 10],
  [0.29, 29],
  [1.005 * 0 + 1.01, 101],
  [4.35, 435],
  [10, 1000],
  [999999.99, 99999999],
])('turns %p into exactly %p cents', (price, cents) => {
  expect(toCents(price)).toBe(cents);
});

it('agrees with exact decimal arithmetic for every two-decimal price up to 100', () => {
  for (let cents = 1; cents <= 10_000; cents++) {
    const price = Number(`${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);
    expect(toCents(price)).toBe(cents);
  }
});

it.each([1.234, -5, Number.NaN, Infinity, 1e21])('refuses %p', (price) => {
  expect(() => toCents(price)).toThrow(RangeError);
});

it.each([
  [10, true],
  [0.01, true],
  [19.99, true],
  [0, false],
  [-1, false],
  [1.234, false],
  ['10', false],
  [Number.NaN, false],
  [1e21, false],
])('isMoneyAmount(%p) is %p', (value, expected) => {
  expect(isMoneyAmount(value)).toBe(expected);
});
