import http from 'http';
import type { QueueStatus, QueueStatusMessage } from '@ticketing/common/api';
import WebSocket from 'ws';
import { sleep } from './load';
import { sessionOfNewUser } from './queue';
import {
  AdmittedBuyer,
  GeneratorMessage,
  GeneratorSetup,
  HEAD_OF_LINE,
  noOutcomes,
  Outcome,
  ParentMessage,
  STALENESS_BUCKET_MS,
  STALENESS_BUCKETS,
} from './rush-protocol';

/** A status as the queue pushes it; `soldOut` is set once the listing has nothing left to sell. */
type RushStatus = QueueStatus & { soldOut?: boolean };

interface Buyer {
  number: number;
  cookie: string;
  agent: http.Agent;
  localAddress: string;
  /** Place in line the join answered: all join before the sale opens, so it is the join order. */
  joinPosition: number;
  /** The position the buyer's page shows now (0 before the first status). */
  shown: number;
  socket?: WebSocket;
  admitted?: AdmittedBuyer;
  outcome: Outcome;
  toldSoldOutAt?: number;
}

interface Reply<T> {
  status: number;
  body: T;
}

const CONNECT_BATCH = 100;
/** A loaded system may take this long to answer or to learn of an order (the short run shares CI's machine). */
const RETRY_FOR_MS = 120_000;
const MAX_ERRORS_REPORTED = 20;

const send = (message: GeneratorMessage) => process.send?.(message);

/** One JSON request through the gateway, from the buyer's own source address. */
const call = <T>(buyer: Buyer, url: string, method: string, body?: unknown): Promise<Reply<T>> =>
  new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, {
      method,
      agent: buyer.agent,
      headers: { Cookie: buyer.cookie, ...(payload ? { 'Content-Type': 'application/json' } : {}) },
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T });
      });
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(payload);
  });

/** Retries what a busy system answers for a moment (5xx, a reset) and what `retryIf` names, for up to RETRY_FOR_MS. */
const persist = async <T>(attempt: () => Promise<Reply<T>>, retryIf: (reply: Reply<T>) => boolean = () => false): Promise<Reply<T>> => {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (;;) {
    const reply = await attempt().catch((err: Error) => ({ status: 0, body: { errors: [{ message: err.message }] } as T }));
    const transient = reply.status === 0 || reply.status >= 500 || retryIf(reply);
    if (!transient || Date.now() > deadline) return reply;
    await sleep(200);
  }
};

const errorOf = (reply: Reply<unknown>) =>
  (reply.body as { errors?: { message: string }[] } | undefined)?.errors?.[0]?.message ?? `status ${reply.status}`;

/** The admission's number on its listing: the token's jti is `<ticketId>.<n>`. */
const admissionNumber = (token: string): number => {
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { jti: string };
  return Number(payload.jti.slice(payload.jti.lastIndexOf('.') + 1));
};

const isUnpaid = (number: number, share: number) => Math.floor((number + 1) * share) > Math.floor(number * share);

/**
 * A generator process of the rush bench: its share of the crowd joins through the gateway, waits with a
 * socket each (bound to 127.0.0.x source addresses: one address has ports for ~28,000 sockets to one
 * destination, one process files for 20,000), and each admitted buyer orders with the token and pays.
 */
class Generator {
  private readonly buyers: Buyer[];
  private readonly errors: string[] = [];
  /** Position changes seen: the admission that made the old position wrong, and when the new one arrived. */
  private readonly staleAdmission: number[] = [];
  private readonly staleAt: number[] = [];
  private readonly staleHead: boolean[] = [];
  private finished = false;

  constructor(private readonly setup: GeneratorSetup) {
    process.env.JWT_KEY = setup.jwtKey;
    const agents = setup.sourceAddresses.map(
      (localAddress) =>
        new http.Agent({ keepAlive: true, localAddress, maxSockets: Math.ceil(setup.joinsInFlight / setup.sourceAddresses.length) + 50 }),
    );
    this.buyers = Array.from({ length: setup.count }, (_, i) => {
      const number = setup.first + i;
      const address = number % setup.sourceAddresses.length;
      return {
        number,
        cookie: sessionOfNewUser(number),
        agent: agents[address],
        localAddress: setup.sourceAddresses[address],
        joinPosition: 0,
        shown: 0,
        outcome: 'waiting',
      };
    });
  }

  private url(path: string) {
    return `${this.setup.gatewayUrl}${path}`;
  }

  private fail(buyer: Buyer, what: string) {
    buyer.outcome = 'failed';
    if (this.errors.length < MAX_ERRORS_REPORTED) this.errors.push(`buyer ${buyer.number}: ${what}`);
  }

  async joinAll() {
    const latenciesMs: number[] = [];
    let next = 0;
    const lane = async () => {
      while (next < this.buyers.length) {
        const buyer = this.buyers[next++];
        const start = Date.now();
        const reply = await persist(() => call<QueueStatus>(buyer, this.url(`/api/queue/${this.setup.ticketId}/join`), 'POST'));
        latenciesMs.push(Date.now() - start);
        if (reply.status === 200) buyer.joinPosition = reply.body.position;
        else this.fail(buyer, `join ${errorOf(reply)}`);
      }
    };
    const startedAt = Date.now();
    await Promise.all(Array.from({ length: this.setup.joinsInFlight }, lane));
    send({ type: 'joined', startedAt, endedAt: Date.now(), latenciesMs });
  }

  private openSocket(buyer: Buyer): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = new WebSocket(`${this.setup.gatewayUrl.replace(/^http/, 'ws')}/api/queue/${this.setup.ticketId}/ws`, {
        headers: { Cookie: buyer.cookie, Origin: this.setup.gatewayUrl },
        localAddress: buyer.localAddress,
        perMessageDeflate: false,
      });
      buyer.socket = socket;
      socket.on('message', (data) =>
        this.onStatus(buyer, (JSON.parse((data as Buffer).toString()) as QueueStatusMessage).data, Date.now()),
      );
      socket.on('error', (err) => {
        if (socket.readyState !== WebSocket.OPEN) this.fail(buyer, `socket ${err.message}`);
        resolve(false);
      });
      socket.once('open', () => resolve(true));
    });
  }

  async connectAll() {
    let open = 0;
    const deadline = Date.now() + this.setup.connectForMs;
    for (let i = 0; i < this.buyers.length && Date.now() < deadline; i += CONNECT_BATCH) {
      const batch = this.buyers.slice(i, i + CONNECT_BATCH).filter((buyer) => buyer.outcome === 'waiting');
      open += (await Promise.all(batch.map((buyer) => this.openSocket(buyer)))).filter(Boolean).length;
    }
    send({ type: 'connected', open, failed: this.buyers.length - open });
  }

  /** The position the page showed went out of date with admission joinPosition − shown + 1. */
  private recordChange(buyer: Buyer, at: number) {
    if (buyer.shown === 0) return;
    this.staleAdmission.push(buyer.joinPosition - buyer.shown + 1);
    this.staleAt.push(at);
    this.staleHead.push(buyer.joinPosition <= HEAD_OF_LINE);
  }

  private onStatus(buyer: Buyer, status: RushStatus, at: number) {
    if (this.finished) return;
    if (status.soldOut === true && buyer.toldSoldOutAt === undefined) buyer.toldSoldOutAt = at;
    if (status.admitted && status.admissionToken && status.admissionExpiresAt) {
      if (buyer.admitted) return;
      this.recordChange(buyer, at);
      buyer.shown = 0;
      buyer.admitted = {
        joinPosition: buyer.joinPosition,
        admissionNumber: admissionNumber(status.admissionToken),
        admittedAt: Date.parse(status.admissionExpiresAt) - this.setup.admissionMs,
        socketAt: at,
      };
      buyer.outcome = 'admitted';
      void this.buy(buyer, status.admissionToken);
      return;
    }
    if (status.position > 0 && status.position !== buyer.shown) {
      this.recordChange(buyer, at);
      buyer.shown = status.position;
    }
  }

  /** What a buyer does once admitted: one unit ordered with the token, then paid (unless they are one who never pays). */
  private async buy(buyer: Buyer, admission: string) {
    const order = await persist(
      () => call<{ id: string }>(buyer, this.url('/api/orders'), 'POST', { ticketId: this.setup.ticketId, quantity: 1, admission }),
      // Orders may learn of the opening a moment after the queue does.
      (reply) => reply.status === 400 && errorOf(reply) === 'Not on sale yet',
    );
    if (order.status === 400 && ['Sold out', 'Not enough tickets'].includes(errorOf(order)))
      return void (buyer.outcome = 'refused: sold out');
    if (order.status !== 201) return this.fail(buyer, `order ${errorOf(order)}`);
    buyer.admitted!.orderId = order.body.id;
    buyer.admitted!.orderedAt = Date.now();
    if (isUnpaid(buyer.number, this.setup.unpaidShare)) return void (buyer.outcome = 'ordered unpaid');
    // Payments knows the order once its order:created arrived.
    const payment = await persist(
      () => call(buyer, this.url('/api/payments'), 'POST', { orderId: order.body.id, token: 'tok_visa' }),
      (reply) => reply.status === 404,
    );
    if (payment.status === 400 && errorOf(payment) === 'Cannot pay for an expired order') return void (buyer.outcome = 'too late to pay');
    if (payment.status !== 202) return this.fail(buyer, `payment ${errorOf(payment)}`);
    buyer.admitted!.paymentAcceptedAt = Date.now();
    buyer.outcome = 'paying';
  }

  finish() {
    const at = Date.now();
    for (const buyer of this.buyers) {
      // A page still waiting at the end shows a position that may have gone out of date meanwhile.
      if (buyer.outcome === 'waiting') this.recordChange(buyer, at);
      buyer.socket?.terminate();
    }
    this.finished = true;
    const outcomes = noOutcomes();
    for (const buyer of this.buyers) outcomes[buyer.outcome] += 1;
    send({
      type: 'finished',
      admitted: this.buyers.flatMap((buyer) => (buyer.admitted ? [buyer.admitted] : [])),
      toldSoldOutAt: this.buyers.flatMap((buyer) => (buyer.toldSoldOutAt === undefined ? [] : [buyer.toldSoldOutAt])),
      outcomes,
      errors: this.errors,
    });
  }

  /** How long each shown position had been out of date when the next one replaced it. */
  staleness(admissionTimes: (number | null)[]) {
    const first1000 = new Array<number>(STALENESS_BUCKETS).fill(0);
    const all = new Array<number>(STALENESS_BUCKETS).fill(0);
    for (let i = 0; i < this.staleAt.length; i += 1) {
      const wrongFrom = admissionTimes[this.staleAdmission[i]];
      const stale = wrongFrom === null || wrongFrom === undefined ? 0 : Math.max(0, this.staleAt[i] - wrongFrom);
      const bucket = Math.min(STALENESS_BUCKETS - 1, Math.floor(stale / STALENESS_BUCKET_MS));
      all[bucket] += 1;
      if (this.staleHead[i]) first1000[bucket] += 1;
    }
    send({ type: 'staleness', first1000, all });
  }
}

let generator: Generator | undefined;
process.on('message', (message: ParentMessage) => {
  const run = async () => {
    if (message.type === 'join') {
      generator = new Generator(message.setup);
      await generator.joinAll();
    } else if (message.type === 'connect') await generator!.connectAll();
    else if (message.type === 'finish') generator!.finish();
    else generator!.staleness(message.admissionTimes);
  };
  run().catch((err: unknown) => {
    console.error('[rush generator]', err);
    process.exit(1);
  });
});
// The parent gone, nothing is measured any more.
process.on('disconnect', () => process.exit(0));
