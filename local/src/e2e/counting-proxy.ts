import http from 'http';
import { createProxyServer } from 'http-proxy-3';
import { freePort } from '../infra/process';

/** An HTTP proxy that counts requests by "METHOD /path" (to count what stripe-mock was asked). */
export class CountingProxy {
  readonly counts = new Map<string, number>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<CountingProxy> {
    const proxy = createProxyServer({ target });
    const port = await freePort();
    const server = http.createServer();
    const counting = new CountingProxy(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      const key = `${req.method} ${new URL(req.url ?? '/', target).pathname}`;
      counting.counts.set(key, (counting.counts.get(key) ?? 0) + 1);
      proxy.web(req, res, {}, () => res.writeHead(502).end());
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return counting;
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
