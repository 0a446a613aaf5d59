import { runService } from '@ticketing/common';
import { buildApp } from './app';
import { liveConfigFromEnv } from './config';
import { buildListeners } from './events/listeners';
import { OrderOwners } from './events/order-owners';
import { LiveHub } from './socket/hub';
import { LiveServer } from './socket/live-server';

const config = liveConfigFromEnv();
const hub = new LiveHub(config);
const server = new LiveServer(hub, config);
const context = { hub, owners: new OrderOwners(config.orderRouteMs), startedAt: Date.now() };

void runService({
  name: 'live',
  app: buildApp(),
  env: ['JWT_KEY'],
  mongo: false,
  // Each replica holds its own sockets, so each needs every event; the replay rebuilds whose order is whose.
  broadcast: { replayMs: config.orderRouteMs },
  listeners: (bus) => buildListeners(bus, context),
  workers: [server],
  upgrades: server,
});
