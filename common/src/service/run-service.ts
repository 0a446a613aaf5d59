import type { Express } from 'express';
import type { IncomingMessage, Server } from 'http';
import type { Duplex } from 'stream';
import mongoose, { Connection } from 'mongoose';
import { eventBusEnvOf } from '../bus/connect-event-bus';
import { EventBus, queueGroupOf, Subscription } from '../bus/event-bus';
import { maxDeliveriesFromEnv } from '../bus/dead-letters';
import type { ListenOptions } from '../bus/listener';
import { eventBus } from '../bus/process-event-bus';
import { ensureIndexes } from '../models/ensure-indexes';
import type { OutboxRelay } from '../outbox/outbox';
import { collectRuntimeMetrics, startMetricsServer } from '../observability/metrics';
import { stopTracing } from '../observability/tracing';
import { requireEnv } from './env';
import { handleProcessFailures } from './process-failures';
import { logger } from '../observability/logger';

export interface ServiceDefinition {
  name: string;
  /** Extra variables this service needs besides the database's and the event bus's. */
  env?: string[];
  /** Connect to the database named by MONGO_URI. */
  mongo?: boolean;
  /** Connect to the event bus; true unless said otherwise. */
  eventBus?: boolean;
  app: Express;
  listeners?: (bus: EventBus) => { listen(queueGroup: string, options: ListenOptions): Subscription }[];
  /** The listeners' durable queue group, `<name>-service` unless given: a new one starts again from the channel's first message. */
  queueGroup?: string;
  /** Every replica's listeners receive every event instead of sharing them in the queue group (see SubscribeOptions). */
  broadcast?: ListenOptions['broadcast'];
  /** Takes the HTTP upgrades (WebSocket) the server receives; closed before the server on shutdown. */
  upgrades?: UpgradeHandler;
  outbox?: OutboxRelay;
  /** Started after the bus is connected, in this order; stopped first on shutdown, in the reverse order. */
  workers?: Worker[];
}

export interface UpgradeHandler {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes the upgraded connections: the server's close waits for every connection it accepted. */
  close(): Promise<void>;
}

export interface Worker {
  /** `sweepConnection`, when the service has a database: for scans that must not hold up requests. */
  start(context: { sweepConnection?: Connection }): Promise<void> | void;
  stop(): Promise<void>;
}

const usesEventBus = (service: ServiceDefinition) => service.eventBus !== false;

/** Last started, first stopped: a worker may use the ones started before it (queue's rounds use its Redis). */
export const stopWorkers = async (workers: Worker[]): Promise<void> => {
  for (const worker of [...workers].reverse()) await worker.stop();
};

const log = (name: string, message: string) => logger.info(`[${name}] ${message}`);

/**
 * Installs the failure policy, checks the environment, connects to Mongo and the event bus, starts listeners and the
 * outbox relay, listens; on SIGTERM/SIGINT stops taking requests and closes all.
 */
export const runService = async (service: ServiceDefinition): Promise<void> => {
  const { name } = service;
  handleProcessFailures(name);
  let env: Record<string, string>;
  try {
    env = requireEnv(...(service.env ?? []), ...(service.mongo ? ['MONGO_URI'] : []), ...(usesEventBus(service) ? eventBusEnvOf() : []));
  } catch (err) {
    logger.error(`[${name}] cannot start: ${(err as Error).message}`);
    process.exit(1);
  }

  try {
    if (service.mongo) {
      // Indexes are built once, here, and awaited: never in the background behind the first requests.
      await mongoose.connect(env.MONGO_URI, { serverSelectionTimeoutMS: 10_000, autoIndex: false });
      await ensureIndexes();
      log(name, 'connected to MongoDB, indexes in place');
    }
    const subscriptions: Subscription[] = [];
    if (usesEventBus(service)) {
      await eventBus.connect(name);
      eventBus.onConnectionLost((err) => {
        logger.error(`[${name}] event bus connection lost (${err.message}); exiting so the supervisor restarts us`);
        process.exit(1);
      });
      log(name, 'connected to the event bus');
      const listeners = service.listeners?.(eventBus) ?? [];
      const options = { maxDeliveries: maxDeliveriesFromEnv(), broadcast: service.broadcast };
      subscriptions.push(...listeners.map((listener) => listener.listen(service.queueGroup ?? queueGroupOf(name), options)));
    }
    // Sweeps scan a collection: on a connection of their own, so requests never queue behind them.
    const sweeps = service.mongo && (service.outbox || service.workers?.length);
    const sweepConnection = sweeps ? await mongoose.createConnection(env.MONGO_URI, { autoIndex: false }).asPromise() : undefined;
    await service.outbox?.start({ sweepConnection });
    for (const worker of service.workers ?? []) await worker.start({ sweepConnection });

    const port = Number(process.env.PORT ?? 3000);
    const host = process.env.HOST ?? '0.0.0.0';
    const metricsServer = await startMetrics(name, host);
    const server = service.app.listen(port, host, () => log(name, `listening on ${host}:${port}`));
    const { upgrades } = service;
    if (upgrades)
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        // Until a WebSocket takes it, the socket has no other listener: a client's reset would be an uncaught exception.
        socket.on('error', () => socket.destroy());
        upgrades.handleUpgrade(req, socket, head);
      });
    onShutdown(name, async () => {
      await Promise.all([closeServer(server), upgrades?.close()]);
      if (metricsServer) await closeServer(metricsServer);
      await stopWorkers(service.workers ?? []);
      await service.outbox?.stop();
      await sweepConnection?.close();
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      if (usesEventBus(service)) await eventBus.close();
      if (service.mongo) await mongoose.disconnect();
      await stopTracing();
    });
  } catch (err) {
    logger.error({ err }, `[${name}] failed to start`);
    process.exit(1);
  }
};

/** Prometheus metrics on METRICS_PORT, when it is set (docs/operations.md); none otherwise. */
const startMetrics = async (name: string, host: string): Promise<Server | undefined> => {
  const port = process.env.METRICS_PORT;
  if (!port) return undefined;
  collectRuntimeMetrics(name);
  const server = await startMetricsServer(Number(port), host);
  log(name, `metrics on ${host}:${port}/metrics`);
  return server;
};

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });

const onShutdown = (name: string, shutdown: () => Promise<void>) => {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(name, `${signal}: finishing in-flight work and shutting down`);
    shutdown()
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, `[${name}] unclean shutdown`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
};
