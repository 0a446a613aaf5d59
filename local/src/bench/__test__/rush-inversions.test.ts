import { countInversions } from '../rush';

// FIFO inversions among admissions: admission numbers listed in join order, each pair out of order counted once.
it.each([
  [[], 0],
  [[1, 2, 3, 4], 0],
  [[2, 1, 3, 4], 1],
  [[4, 3, 2, 1], 6],
  [[3, 1, 2, 5, 4], 3],
])('counts the pairs out of order in %j: %i', (numbers, inversions) => {
  expect(countInversions([...numbers])).toBe(inversions);
});

it('agrees with counting every pair on 2,000 shuffled numbers', () => {
  const numbers = Array.from({ length: 2_000 }, (_, i) => (i * 7919) % 2_003);
  let pairs = 0;
  for (let i = 0; i < numbers.length; i += 1) for (let j = i + 1; j < numbers.length; j += 1) if (numbers[i] > numbers[j]) pairs += 1;
  expect(countInversions([...numbers])).toBe(pairs);
});
