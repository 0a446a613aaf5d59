import { runService } from '@ticketing/common';
import { app } from './app';
import { OrderCancelledListener } from './events/listeners/order-cancelled-listener';
import { OrderCreatedListener } from './events/listeners/order-created-listener';
import { paymentOutbox } from './events/outbox';

void runService({
  name: 'payments',
  app,
  env: ['JWT_KEY', 'STRIPE_KEY'],
  mongo: true,
  listeners: (bus) => [new OrderCreatedListener(bus), new OrderCancelledListener(bus)],
  outbox: paymentOutbox,
});
