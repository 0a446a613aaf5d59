import { runService } from '@ticketing/common';
import { buildApp } from './app';
import { buildListeners } from './events/listeners';
import { ticketOutbox } from './events/outbox';

void runService({
  name: 'tickets',
  app: buildApp(),
  env: ['JWT_KEY'],
  mongo: true,
  listeners: buildListeners,
  outbox: ticketOutbox,
});
