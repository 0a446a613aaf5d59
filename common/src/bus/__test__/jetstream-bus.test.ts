import { redeliveryDelayMs } from '../jetstream-bus';

it('waits the ack wait before the first redelivery, then doubles it up to 8×, capped at a minute unless the ack wait is longer', () => {
  expect([1, 2, 3, 4, 5, 20].map((deliveries) => redeliveryDelayMs(5_000, deliveries))).toEqual([
    5_000, 10_000, 20_000, 40_000, 40_000, 40_000,
  ]);
  expect([1, 2, 3].map((deliveries) => redeliveryDelayMs(30_000, deliveries))).toEqual([30_000, 60_000, 60_000]);
  expect(redeliveryDelayMs(90_000, 4)).toBe(90_000);
});
