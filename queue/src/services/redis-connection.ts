import { Redis, type RedisOptions } from 'ioredis';
import type { Worker } from '@ticketing/common';
import { logger } from '@ticketing/common';

const log = (message: string) => logger.info(`[queue] ${message}`);

const whenReady = (client: Redis): Promise<void> =>
  client.status === 'ready' ? Promise.resolve() : new Promise((resolve) => client.once('ready', () => resolve()));

/**
 * The service's two Redis connections: one for commands, one subscribed to the waiting rooms' changes (a
 * subscribed connection takes no other command). ioredis reconnects both after a Redis restart, resubscribes,
 * and holds the commands sent meanwhile until it is back (a request gives up after a few retries: 503).
 */
export class RedisConnection implements Worker {
  readonly commands: Redis;
  readonly subscriber: Redis;

  constructor(options: RedisOptions) {
    const settings: RedisOptions = {
      ...options,
      enableAutoPipelining: true,
      maxRetriesPerRequest: 3,
      retryStrategy: (times) => Math.min(times * 100, 1_000),
    };
    this.commands = new Redis(settings);
    this.subscriber = new Redis(settings);
    for (const [name, client] of [
      ['commands', this.commands],
      ['subscriber', this.subscriber],
    ] as const) {
      // An EventEmitter without an 'error' listener would crash the process on a Redis hiccup.
      client.on('error', (err: Error) => logger.error(`[queue] redis (${name}): ${err.message}`));
      client.on('ready', () => log(`redis (${name}) ready`));
    }
  }

  isReady(): boolean {
    return this.commands.status === 'ready' && this.subscriber.status === 'ready';
  }

  async start(): Promise<void> {
    await Promise.all([whenReady(this.commands), whenReady(this.subscriber)]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.commands.quit().catch(() => undefined), this.subscriber.quit().catch(() => undefined)]);
  }
}
