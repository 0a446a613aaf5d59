import { Counter } from 'prom-client';

export const ordersPlaced = new Counter({
  name: 'orders_placed_total',
  help: 'Orders asked for, by outcome: placed (units held and the order stored) or refused (no stock, limit)',
  labelNames: ['outcome'] as const,
});
