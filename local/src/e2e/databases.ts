import mongoose from 'mongoose';
import { databaseUri } from '@ticketing/common';
import type { ServiceName } from '../system/system';

/** Direct access to a service's own database, to check what was (not) stored. */
export class Databases {
  private readonly connections = new Map<ServiceName, mongoose.Connection>();

  /** `mongoUri` is the server the services share (System.env.MONGO_URI); each service has its own database there. */
  constructor(private readonly mongoUri: string) {}

  async of(service: ServiceName): Promise<mongoose.Connection> {
    let connection = this.connections.get(service);
    if (!connection) {
      connection = await mongoose.createConnection(databaseUri(this.mongoUri, service)).asPromise();
      this.connections.set(service, connection);
    }
    return connection;
  }

  async count(service: ServiceName, collection: string, filter: Record<string, unknown> = {}): Promise<number> {
    return (await this.of(service)).collection(collection).countDocuments(filter);
  }

  async find<T>(service: ServiceName, collection: string, filter: Record<string, unknown> = {}): Promise<T[]> {
    return (await (await this.of(service)).collection(collection).find(filter).toArray()) as T[];
  }

  /** Changes documents directly, to set up a state only a crash or time could otherwise make. */
  async update(
    service: ServiceName,
    collection: string,
    filter: Record<string, unknown>,
    update: Record<string, unknown>,
  ): Promise<number> {
    return (await (await this.of(service)).collection(collection).updateMany(filter, update)).modifiedCount;
  }

  /** Document counts of every collection the services keep, for "nothing was stored" checks. */
  async snapshot(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [service, collection] of [
      ['auth', 'users'],
      ['tickets', 'tickets'],
      ['orders', 'orders'],
      ['payments', 'payments'],
    ] as const) {
      counts[`${service}.${collection}`] = await this.count(service, collection);
    }
    return counts;
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connection) => connection.close()));
  }
}
