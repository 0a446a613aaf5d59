import net from 'net';
import { freePort } from '../infra/process';

/**
 * A loopback TCP proxy that can cut the line: while paused, bytes stop flowing in
 * both directions but connections stay open, as in a network partition; while cut,
 * the server is unreachable: its connections are reset and new ones refused.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private readonly held: [net.Socket, Buffer][] = [];
  private paused = false;
  private refusing = false;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const port = await freePort();
    const server = net.createServer();
    const proxy = new TcpProxy(server, port);
    server.on('connection', (client) => proxy.connect(client, targetPort));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return proxy;
  }

  /** `serverUrl` (its scheme and credentials) led through this proxy. */
  urlFor(serverUrl: string): string {
    const url = new URL(serverUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  private connect(client: net.Socket, targetPort: number): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    // A connection dies whole: what was held for a closed peer is dropped, never delivered late.
    const destroyBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => {
        this.sockets.delete(socket);
        destroyBoth();
      });
      socket.on('error', destroyBoth);
    }
    this.forward(client, upstream);
    this.forward(upstream, client);
  }

  private forward(from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk: Buffer) => (this.paused ? this.held.push([to, chunk]) : to.write(chunk)));
  }

  /** Holds every byte from now on, in order, until `resume`. */
  pause(): void {
    this.paused = true;
  }

  /** Resets every connection and refuses new ones until `resume`, as a server that is down. */
  cut(): void {
    this.refusing = true;
    this.sockets.forEach((socket) => socket.destroy());
  }

  /** Bytes flow again, and connections are accepted. */
  resume(): void {
    this.refusing = false;
    this.paused = false;
    for (const [to, chunk] of this.held.splice(0)) if (!to.destroyed && !to.writableEnded) to.write(chunk);
  }

  async close(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The first server of a URL list (NATS_URL of a cluster: url1,url2,url3), to put a proxy in front of. */
export const firstServer = (urls: string) => urls.split(',')[0];
