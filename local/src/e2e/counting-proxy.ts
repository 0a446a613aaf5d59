import http from 'http';
import { freePort } from '../infra/process';

type Mode = { kind: 'up' } | { kind: 'down' } | { kind: 'latency'; ms: number } | { kind: 'swallow' };

/**
 * An HTTP proxy in front of stripe-mock that counts what it was asked, by "METHOD /path" and by
 * idempotency key, and can play a faulty Stripe: unreachable (connections reset), slow (latency
 * before each request), or swallowing answers (the request reaches Stripe, its answer never comes back).
 */
export class CountingProxy {
  readonly counts = new Map<string, number>();
  /** Idempotency keys of the requests Stripe answered with 2xx, per "METHOD /path": each key is one charge or refund at Stripe. */
  private readonly succeededKeys = new Map<string, Set<string>>();
  private mode: Mode = { kind: 'up' };
  private readonly target: URL;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    target: string,
  ) {
    this.target = new URL(target);
  }

  static async start(target: string): Promise<CountingProxy> {
    const port = await freePort();
    const server = http.createServer();
    const proxy = new CountingProxy(server, `http://127.0.0.1:${port}`, target);
    server.on('request', (req, res) => proxy.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return proxy;
  }

  /** Stripe unreachable: every request's connection is reset. */
  down(): void {
    this.mode = { kind: 'down' };
  }

  /** Every request waits `ms` before it is forwarded. */
  latency(ms: number): void {
    this.mode = { kind: 'latency', ms };
  }

  /** Requests reach Stripe, but no answer comes back (the caller waits until it gives up or dies). */
  swallow(): void {
    this.mode = { kind: 'swallow' };
  }

  up(): void {
    this.mode = { kind: 'up' };
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** How many distinct idempotency keys Stripe answered with 2xx on `key`: what Stripe actually did. */
  done(key: string): number {
    return this.succeededKeys.get(key)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const key = `${req.method} ${new URL(req.url ?? '/', this.target).pathname}`;
    if (this.mode.kind === 'down') {
      req.socket.destroy();
      return;
    }
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const delayMs = this.mode.kind === 'latency' ? this.mode.ms : 0;
    const swallow = this.mode.kind === 'swallow';
    setTimeout(() => this.forward(req, res, key, swallow), delayMs);
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, key: string, swallow: boolean): void {
    const upstream = http.request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const idempotencyKey = req.headers['idempotency-key'];
        if (typeof idempotencyKey === 'string' && (answer.statusCode ?? 500) < 300) {
          const keys = this.succeededKeys.get(key) ?? new Set<string>();
          keys.add(idempotencyKey);
          this.succeededKeys.set(key, keys);
        }
        if (swallow) return void answer.resume();
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  }
}
