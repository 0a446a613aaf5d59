import type { Order, Ticket } from '@ticketing/common/api';
import { sleep } from '@ticketing/common/testing';
import type { ApiClient } from './api-client';

export interface RestartTiming {
  /** Between one buyer's order and the next. */
  staggerMs: number;
  /** From the first order to the start of the restart. */
  restartAfterMs: number;
  restart: () => Promise<void>;
}

/** Each buyer orders its own ticket (the one at its index), one after another, while a server restarts in the middle. */
export const ordersDuringRestart = async (
  buyers: ApiClient[],
  tickets: Ticket[],
  { staggerMs, restartAfterMs, restart }: RestartTiming,
) => {
  let restartMs = 0;
  let restartedAt = 0;
  const [answers] = await Promise.all([
    Promise.all(
      buyers.map(async (buyer, i) => {
        await sleep(i * staggerMs);
        return buyer.post<Order>('/api/orders', { ticketId: tickets[i].id });
      }),
    ),
    (async () => {
      await sleep(restartAfterMs);
      const startedAt = Date.now();
      await restart();
      restartedAt = Date.now();
      restartMs = restartedAt - startedAt;
    })(),
  ]);
  return { answers, restartMs, restartedAt };
};
