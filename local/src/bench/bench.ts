import { Types } from 'mongoose';
import type { Order, Ticket } from '@ticketing/common/api';
import { ApiClient, uniqueEmail } from '../e2e/api-client';
import { Databases } from '../e2e/databases';
import { percentile, runLoad, sleep } from './load';

export interface BenchOptions {
  /** The gateway of a running system. */
  url: string;
  /** The MongoDB-wire server its services share, to read when each replica learned a record. */
  mongoUri: string;
  /** Stored orders at which to measure, ascending; a level below what is already stored measures at once. */
  levels: number[];
  /** Listings for sale at each level (one per level): the bench creates listings until that many are for sale. */
  listings: number[];
  /**
   * Orders placed before the first measurement, so that no round measures a cold system:
   * the JIT, connection pools and caches of every process warm up on the real order path.
   */
  warmUpOrders: number;
  /** Tickets, orders and listings per measured round. */
  roundSize: number;
  /** Requests in flight during a round. */
  inFlight: number;
  /** Events sent one at a time, to time propagation on an idle system. */
  restSamples: number;
  progress?: (line: string) => void;
}

export interface Lag {
  p50: number;
  p99: number;
  /** Records the replica had not learned after the wait. */
  missing: number;
}

export interface BenchRow {
  storedOrders: number;
  listingsForSale: number;
  ticketsPerSecond: number;
  ordersPerSecond: number;
  orderP50: number;
  orderP99: number;
  /** Order POSTs answered 404 although the ticket's replica had settled. */
  orderNotFound: number;
  /** Any other answer that was not a success. */
  failures: number;
  /** The first page of `GET /api/tickets`, read while buyers place orders. */
  listPerSecond: number;
  listP50: number;
  listP99: number;
  /** `GET /api/tickets/:id` of listings for sale, read while buyers place orders. */
  ticketPagePerSecond: number;
  ticketPageP50: number;
  ticketPageP99: number;
  ticketToOrders: { rest: Lag; load: Lag };
  orderToPayments: { rest: Lag; load: Lag };
}

const REPLICA_WAIT_MS = 60_000;
const FILL_CHUNK = 1_000;
/** A slow page (a scan, as FerretDB did before its _id-order patch) stops its round early past this. */
const READ_DEADLINE_MS = 20_000;
/** Units of each listing the bench creates, so that the buyers' orders leave it for sale. */
const LISTING_UNITS = 10_000;
/** The most units one buyer may hold of one listing (the API's maximum): the rush's buyers stay under it. */
const LISTING_LIMIT_PER_BUYER = 10;

/** When each replica learned a record, against when the client saw the record created. */
class Propagation {
  constructor(
    private readonly databases: Databases,
    private readonly replica: { service: 'orders' | 'payments'; collection: string },
  ) {}

  /** Waits (bounded) for the replica to hold every id, then measures each one's lag. */
  async measure(createdAt: Map<string, number>): Promise<Lag> {
    const ids = [...createdAt.keys()].map((id) => new Types.ObjectId(id));
    const deadline = Date.now() + REPLICA_WAIT_MS;
    let found: { _id: Types.ObjectId; replicatedAt?: Date }[] = [];
    for (;;) {
      found = await this.databases.find(this.replica.service, this.replica.collection, { _id: { $in: ids } });
      if (found.length === ids.length || Date.now() > deadline) break;
      await sleep(250);
    }
    const lags = found
      .filter((doc) => doc.replicatedAt)
      .map((doc) => Math.max(0, doc.replicatedAt!.getTime() - createdAt.get(String(doc._id))!));
    return { p50: percentile(lags, 50), p99: percentile(lags, 99), missing: ids.length - lags.length };
  }
}

/**
 * Measures, at each level of stored orders: ticket creation/s, order placement/s
 * with p50/p99, the listing's first page/s and a ticket's page/s with p50/p99 while
 * buyers place orders, and how long ticket:created takes to reach the orders
 * replica and order:created the payments replica, at rest and under load.
 */
export const runBench = async (options: BenchOptions): Promise<BenchRow[]> => {
  const { url, levels, listings, roundSize, inFlight, restSamples, warmUpOrders, progress = () => {} } = options;
  const databases = new Databases(options.mongoUri);
  const ticketReplica = new Propagation(databases, { service: 'orders', collection: 'tickets' });
  const orderReplica = new Propagation(databases, { service: 'payments', collection: 'orders' });
  try {
    const seller = await ApiClient.signUp(url, uniqueEmail('bench-seller'));
    const buyers = await Promise.all(Array.from({ length: inFlight }, (_, i) => ApiClient.signUp(url, uniqueEmail(`bench-buyer${i}`))));
    let label = 0;
    const newTicket = async (createdAt: Map<string, number>) => {
      const res = await seller.post<Ticket>('/api/tickets', { title: `Bench ${label++}`, price: 20 + (label % 50) });
      if (res.status === 201) createdAt.set(res.body.id, Date.now());
      return res;
    };
    const newOrder = async (buyer: ApiClient, ticketId: string, createdAt: Map<string, number>) => {
      const res = await buyer.post<Order>('/api/orders', { ticketId });
      if (res.status === 201) createdAt.set(res.body.id, Date.now());
      return res;
    };

    /** Lists and orders tickets through the API until the orders service stores `target` orders. */
    const fillTo = async (target: number) => {
      for (;;) {
        const stored = await databases.count('orders', 'orders');
        if (stored >= target) return;
        const chunk = Math.min(FILL_CHUNK, target - stored);
        progress(`filling: ${stored} orders stored, adding ${chunk} (target ${target})`);
        const tickets = new Map<string, number>();
        await runLoad(chunk, inFlight, () => newTicket(tickets));
        await ticketReplica.measure(tickets);
        const ids = [...tickets.keys()];
        const orders = await runLoad(ids.length, inFlight, (i) => newOrder(buyers[i % inFlight], ids[i], new Map()));
        const placed = orders.results.filter((res) => res.status === 201).length;
        if (placed === 0)
          throw new Error(`filling placed no order (answers: ${[...new Set(orders.results.map((res) => res.status))].join(', ')})`);
      }
    };

    const listingIds: string[] = [];
    const randomListing = () => listingIds[Math.floor(Math.random() * listingIds.length)];
    /** Units each buyer holds of each listing, so that a rush order never meets the limit per buyer. */
    const held = new Map<ApiClient, Map<string, number>>(buyers.map((buyer) => [buyer, new Map()]));
    /** Each listing's limit per buyer, where it is not the bench's own. */
    const limits = new Map<string, number>();
    /** A listing the buyer may still order, or undefined once it holds the limit of every one. */
    const listingFor = (buyer: ApiClient) => {
      const holding = held.get(buyer)!;
      const open = listingIds.filter((id) => (holding.get(id) ?? 0) < (limits.get(id) ?? LISTING_LIMIT_PER_BUYER));
      const id = open[Math.floor(Math.random() * open.length)];
      if (id) holding.set(id, (holding.get(id) ?? 0) + 1);
      return id;
    };

    /** Creates listings through the API until `target` are for sale, and waits for the orders replica to learn them. */
    const topUpListings = async (target: number) => {
      const missing = target - (await databases.count('tickets', 'tickets', { available: { $gt: 0 } }));
      if (missing <= 0 && listingIds.length === 0) {
        // A system measured with --url may hold enough listings already: the buyers order those.
        const existing = await databases.find<{ _id: unknown; limitPerBuyer: number }>('tickets', 'tickets', { available: { $gt: 0 } });
        for (const listing of existing) limits.set(String(listing._id), listing.limitPerBuyer);
        listingIds.push(...existing.map((listing) => String(listing._id)));
      }
      if (missing <= 0) return;
      progress(`listing: adding ${missing} listings for sale (target ${target})`);
      const created = new Map<string, number>();
      await runLoad(missing, inFlight, () =>
        seller
          .post<Ticket>('/api/tickets', {
            title: `Listing ${label++}`,
            price: 20,
            quantity: LISTING_UNITS,
            limitPerBuyer: LISTING_LIMIT_PER_BUYER,
          })
          .then((res) => {
            if (res.status === 201) created.set(res.body.id, Date.now());
            return res;
          }),
      );
      await ticketReplica.measure(created);
      listingIds.push(...created.keys());
    };

    /** `roundSize` reads, `inFlight` at a time, while as many buyers keep placing orders on the listings. */
    const duringRush = async <T>(read: () => Promise<T>) => {
      let rushing = true;
      const orders: Awaited<ReturnType<typeof newOrder>>[] = [];
      const buyerRush = async (buyer: ApiClient) => {
        for (let id = listingFor(buyer); rushing && id; id = listingFor(buyer)) orders.push(await newOrder(buyer, id, new Map()));
      };
      const rush = Promise.all(buyers.map(buyerRush));
      try {
        return { reads: await runLoad(roundSize, inFlight, read, READ_DEADLINE_MS), orders: { results: orders } };
      } finally {
        rushing = false;
        await rush;
      }
    };

    // Measured cold, the first round of orders ran at 111/s, the next identical rounds at 142 and 153/s:
    // warm every process up on the real order path first, and report the orders that stores.
    progress(`warming up: ${warmUpOrders} orders`);
    await fillTo(warmUpOrders);

    const rows: BenchRow[] = [];
    for (const [levelIndex, level] of levels.entries()) {
      await fillTo(level);
      const storedOrders = await databases.count('orders', 'orders');
      progress(`measuring at ${storedOrders} stored orders`);

      // At rest: one event at a time.
      const restTickets = new Map<string, number>();
      for (let i = 0; i < restSamples; i++) {
        await newTicket(restTickets);
        await sleep(50);
      }
      const ticketRest = await ticketReplica.measure(restTickets);
      const restOrders = new Map<string, number>();
      for (const [i, ticketId] of [...restTickets.keys()].entries()) {
        await newOrder(buyers[i % inFlight], ticketId, restOrders);
        await sleep(50);
      }
      const orderRest = await orderReplica.measure(restOrders);

      // Under load: `inFlight` requests at a time.
      const loadTickets = new Map<string, number>();
      const creation = await runLoad(roundSize, inFlight, () => newTicket(loadTickets));
      const ticketLoad = await ticketReplica.measure(loadTickets);
      const ticketIds = [...loadTickets.keys()];
      const loadOrders = new Map<string, number>();
      const placement = await runLoad(ticketIds.length, inFlight, (i) => newOrder(buyers[i % inFlight], ticketIds[i], loadOrders));
      const orderLoad = await orderReplica.measure(loadOrders);
      await topUpListings(listings[levelIndex]);
      const listingsForSale = await databases.count('tickets', 'tickets', { available: { $gt: 0 } });
      const listing = await duringRush(() => seller.get<Ticket[]>('/api/tickets'));
      const ticketPage = await duringRush(() => seller.get<Ticket>(`/api/tickets/${randomListing()}`));

      const statuses = [creation, placement, listing.reads, listing.orders, ticketPage.reads, ticketPage.orders].flatMap(
        (load: { results: { status: number }[] }) => load.results.map((res) => res.status),
      );
      const row: BenchRow = {
        storedOrders,
        listingsForSale,
        ticketsPerSecond: creation.perSecond,
        ordersPerSecond: placement.perSecond,
        orderP50: percentile(placement.latenciesMs, 50),
        orderP99: percentile(placement.latenciesMs, 99),
        orderNotFound: placement.results.filter((res) => res.status === 404).length,
        failures: statuses.filter((status) => status >= 300 && status !== 404).length,
        listPerSecond: listing.reads.perSecond,
        listP50: percentile(listing.reads.latenciesMs, 50),
        listP99: percentile(listing.reads.latenciesMs, 99),
        ticketPagePerSecond: ticketPage.reads.perSecond,
        ticketPageP50: percentile(ticketPage.reads.latenciesMs, 50),
        ticketPageP99: percentile(ticketPage.reads.latenciesMs, 99),
        ticketToOrders: { rest: ticketRest, load: ticketLoad },
        orderToPayments: { rest: orderRest, load: orderLoad },
      };
      rows.push(row);
      progress(`done at ${storedOrders}: ${formatRow(row)}`);
    }
    return rows;
  } finally {
    await databases.close();
  }
};

const ms = (value: number) => (Number.isNaN(value) ? '–' : `${Math.round(value)}`);
const lag = ({ p50, p99, missing }: Lag) => `${ms(p50)} / ${ms(p99)}${missing ? ` (${missing} missing)` : ''}`;

const formatRow = (row: BenchRow) =>
  [
    row.storedOrders,
    row.listingsForSale,
    row.ticketsPerSecond.toFixed(0),
    row.ordersPerSecond.toFixed(0),
    `${ms(row.orderP50)} / ${ms(row.orderP99)}`,
    row.orderNotFound,
    row.failures,
    row.listPerSecond.toFixed(0),
    `${ms(row.listP50)} / ${ms(row.listP99)}`,
    row.ticketPagePerSecond.toFixed(0),
    `${ms(row.ticketPageP50)} / ${ms(row.ticketPageP99)}`,
    lag(row.ticketToOrders.rest),
    lag(row.ticketToOrders.load),
    lag(row.orderToPayments.rest),
    lag(row.orderToPayments.load),
  ].join(' | ');

/** The result as one Markdown table, ready for docs/benchmarks.md. */
export const formatTable = (rows: BenchRow[]): string =>
  [
    '| stored orders | listings for sale | tickets created/s | orders placed/s | order p50 / p99 ms | order 404s | other errors | GET /api/tickets/s, in a rush | list p50 / p99 ms | GET /api/tickets/:id/s, in a rush | ticket page p50 / p99 ms | ticket:created → orders p50 / p99 ms, at rest | under load | order:created → payments p50 / p99 ms, at rest | under load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${formatRow(row)} |`),
  ].join('\n');
