import { runService } from '@ticketing/common';
import { app } from './app';
import { OrderCancelledListener } from './events/listeners/order-cancelled-listener';
import { OrderCreatedListener } from './events/listeners/order-created-listener';
import { ticketOutbox } from './events/outbox';

void runService({
  name: 'tickets',
  app,
  env: ['JWT_KEY'],
  mongo: true,
  listeners: (bus) => [new OrderCreatedListener(bus), new OrderCancelledListener(bus)],
  outbox: ticketOutbox,
});
