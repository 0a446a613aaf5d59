import { redisFromEnv, runService } from '@ticketing/common';
import { buildApp } from './app';
import { OrderCancelledListener } from './events/listeners/order-cancelled-listener';
import { OrderCreatedListener } from './events/listeners/order-created-listener';
import { RefundRequestedListener } from './events/listeners/refund-requested-listener';
import { paymentOutbox } from './events/outbox';
import { createChargeQueue } from './workers/charge-queue';
import { ChargeWorker } from './workers/charge-worker';
import { reconcileAfterMs, reconcileIntervalMs, workerConcurrency } from './config';
import { Reconciler } from './workers/reconciler';

const queue = createChargeQueue({ redis: redisFromEnv() });

void runService({
  name: 'payments',
  app: buildApp(queue),
  env: ['JWT_KEY', 'STRIPE_KEY', 'REDIS_HOST'],
  mongo: true,
  listeners: (bus) => [new OrderCreatedListener(bus), new OrderCancelledListener(bus), new RefundRequestedListener(bus)],
  outbox: paymentOutbox,
  workers: [
    new ChargeWorker(queue, workerConcurrency()),
    new Reconciler({ reconcileAfterMs: reconcileAfterMs(), intervalMs: reconcileIntervalMs() }),
  ],
});
