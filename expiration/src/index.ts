import { redisFromEnv, runService } from '@ticketing/common';
import { buildApp } from './app';
import { buildListeners } from './events/listeners';
import { createExpirationQueue } from './workers/expiration-queue';
import { ExpirationWorker } from './workers/expiration-worker';

const queue = createExpirationQueue({ redis: redisFromEnv() });

void runService({
  name: 'expiration',
  app: buildApp(queue),
  env: ['REDIS_HOST'],
  mongo: false,
  listeners: (bus) => buildListeners(bus, queue),
  workers: [new ExpirationWorker(queue)],
});
