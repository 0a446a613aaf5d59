import { runService } from '@ticketing/common';
import { buildApp } from './app';
import { buildListeners } from './events/listeners';

void runService({
  name: 'balances',
  app: buildApp(),
  env: ['JWT_KEY'],
  mongo: true,
  // A rebuild: an empty database and a queue group the server does not know replay the channels from their first message.
  queueGroup: process.env.BALANCES_QUEUE_GROUP || undefined,
  listeners: buildListeners,
});
