import { redisFromEnv, runService } from '@ticketing/common';
import { buildApp } from './app';
import { buildListeners } from './events/listeners';
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
  listeners: buildListeners,
  outbox: paymentOutbox,
  workers: [
    new ChargeWorker(queue, workerConcurrency()),
    new Reconciler({ reconcileAfterMs: reconcileAfterMs(), intervalMs: reconcileIntervalMs() }),
  ],
});
