import fs from 'fs';
import { Types } from 'mongoose';
import type { Ticket } from '@ticketing/common/api';
import { Infra, InfraPiece, startInfra } from '../infra/start-infra';
import { startSystem, System, SystemOptions } from '../system/system';
import { ApiClient, uniqueEmail, waitUntil } from './api-client';
import { Databases } from './databases';

/** What a suite closes when it ends: proxies, a browser, a Redis client, its sockets. */
export interface Closable {
  close(): unknown;
}

/** What a seller lists (POST /api/tickets). */
export interface Listing {
  title: string;
  price: number;
  quantity?: number;
  limitPerBuyer?: number;
  waitingRoom?: { activeBuyers: number } | null;
  onSaleAt?: string | null;
}

/** The system's options; `env` is left out: the servers of `useSystem({ infra })`, else the system's own. */
export type SystemSetup = Omit<SystemOptions, 'env'>;

export interface SystemUnderTestOptions {
  /** Servers started before the system, to restart them or put proxies in front of them; the system starts its own when absent. */
  infra?: InfraPiece[];
  /** The system's options, or a function that makes them once `infra` runs (proxies in between, closed with `closeAtEnd`). */
  system?: SystemSetup | ((sut: SystemUnderTest) => Promise<SystemSetup>);
  /** Runs once the system runs: clients of it (a browser, a Redis client), closed with `closeAtEnd`. */
  connect?: (sut: SystemUnderTest) => Promise<void> | void;
  /** nats-servers the broker of `infra` runs as: 1, or a JetStream cluster of 3; TEST_BROKERS (`npm test -- --brokers N`), else 1, when absent. */
  brokers?: number;
  /** Time for the whole start; 120 s when absent. */
  startTimeoutMs?: number;
}

export interface SystemUnderTest {
  readonly system: System;
  /** The servers started by `useSystem({ infra })`. */
  readonly infra: Infra;
  readonly databases: Databases;
  signUp: (name: string) => Promise<ApiClient>;
  /** Lists it (201) and waits until the orders service's replica has it (ticket:created reached orders). */
  list: (seller: ApiClient, listing: Listing) => Promise<Ticket>;
  /** Lists them all at once (each 201) and waits until the orders service's replica has every one. */
  listAll: (seller: ApiClient, listings: Listing[], replicatedWithinMs?: number) => Promise<Ticket[]>;
  /**
   * Closes `resource` when the suite ends, in the reverse order of registration: what is made for the system
   * (a proxy) after it stops, what is made once it runs (a client) before it stops.
   */
  closeAtEnd: <T extends Closable>(resource: T) => T;
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** `n` listings titled `label 0`, `label 1`, ... at 10, 11, ... dollars. */
export const numberedListings = (n: number, label: string): Listing[] => range(n).map((i) => ({ title: `${label} ${i}`, price: 10 + i }));

/** The brokers `npm test -- --brokers N` asks of every suite that starts its own. */
const testBrokers = () => Number(process.env.TEST_BROKERS ?? '1');

const started = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what} is not started: use it inside a test or hook of the suite`);
  return value;
};

/** SYSTEM_LOG=<file>: every process's lines, appended there, for reading a failed run afterwards. */
const logToFile = (file = process.env.SYSTEM_LOG): SystemOptions['log'] =>
  file ? (name, line) => fs.appendFileSync(file, `${new Date().toISOString()} ${name} ${line}\n`) : undefined;

/** The whole system for one test file: started in beforeAll, everything closed in afterAll. */
export const useSystem = (options: SystemUnderTestOptions = {}): SystemUnderTest => {
  let infra: Infra | undefined;
  let system: System | undefined;
  let databases: Databases | undefined;
  const closing: Closable[] = [];

  const listAll = async (seller: ApiClient, listings: Listing[], replicatedWithinMs = 20_000) => {
    const created = await Promise.all(listings.map((listing) => seller.post<Ticket>('/api/tickets', listing)));
    created.forEach((res) => expect(res.status).toBe(201));
    const ids = created.map((res) => new Types.ObjectId(res.body.id));
    await waitUntil(
      async () => (await sut.databases.count('orders', 'tickets', { _id: { $in: ids } })) === ids.length,
      replicatedWithinMs,
      'orders to replicate the listings',
    );
    return created.map((res) => res.body);
  };

  const sut: SystemUnderTest = {
    get system() {
      return started(system, 'the system');
    },
    get infra() {
      return started(infra, 'the infra of useSystem({ infra })');
    },
    get databases() {
      return started(databases, 'the system');
    },
    signUp: (name) => ApiClient.signUp(sut.system.url, uniqueEmail(name)),
    list: async (seller, listing) => (await listAll(seller, [listing]))[0],
    listAll,
    closeAtEnd: (resource) => {
      closing.push(resource);
      return resource;
    },
  };

  beforeAll(async () => {
    if (options.infra) {
      infra = await startInfra(options.infra, { env: {}, brokers: options.brokers ?? testBrokers() });
      sut.closeAtEnd({ close: () => infra?.stop() });
    }
    const setup = typeof options.system === 'function' ? await options.system(sut) : (options.system ?? {});
    system = await startSystem({ log: logToFile(), ...setup, env: infra?.env ?? {} });
    sut.closeAtEnd({ close: () => system?.stop() });
    databases = sut.closeAtEnd(new Databases(system.env.MONGO_URI));
    await options.connect?.(sut);
  }, options.startTimeoutMs ?? 120_000);

  afterAll(async () => {
    for (const resource of closing.splice(0).reverse()) await resource.close();
  });

  return sut;
};
