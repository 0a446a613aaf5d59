import { redisFromEnv, runService } from '@ticketing/common';
import { buildApp } from './app';
import { OrderCreatedListener } from './events/listeners/order-created-listener';
import { createExpirationQueue } from './workers/expiration-queue';
import { ExpirationWorker } from './workers/expiration-worker';

const queue = createExpirationQueue({ redis: redisFromEnv() });

void runService({
  name: 'expiration',
  app: buildApp(queue),
  env: ['REDIS_HOST'],
  mongo: false,
  listeners: (bus) => [new OrderCreatedListener(bus, queue)],
  workers: [new ExpirationWorker(queue)],
});
