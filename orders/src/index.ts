import { runService } from '@ticketing/common';
import { buildApp } from './app';
import { buildListeners } from './events/listeners';
import { orderOutbox } from './events/outbox';
import { expirationWindowSeconds } from './config';
import { ExpiredOrderSweeper } from './workers/expired-order-sweeper';
import { HoldRepairer } from './workers/hold-repairer';

// A bad EXPIRATION_WINDOW_SECONDS stops the start rather than the first order.
expirationWindowSeconds();

void runService({
  name: 'orders',
  app: buildApp(),
  env: ['JWT_KEY', 'ADMISSION_KEY'],
  mongo: true,
  listeners: buildListeners,
  outbox: orderOutbox,
  workers: [new ExpiredOrderSweeper(), new HoldRepairer()],
});
