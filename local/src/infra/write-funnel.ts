import net from 'net';
import { freePort } from './process';

const HEADER_BYTES = 16;
const OP_MSG = 2013;
/** OP_MSG flag: the sender expects no reply. */
const MORE_TO_COME = 0x2;

/** Commands that change data: FerretDB applies each as a read and a write, which must not interleave. */
const WRITE_COMMANDS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'createIndexes',
  'dropIndexes',
  'create',
  'drop',
  'dropDatabase',
  'collMod',
  'renameCollection',
]);

/** Splits a byte stream into whole wire-protocol messages (each starts with its int32 length). */
class MessageReader {
  private buffered = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    const messages: Buffer[] = [];
    while (this.buffered.length >= 4 && this.buffered.length >= this.buffered.readInt32LE(0)) {
      const length = this.buffered.readInt32LE(0);
      messages.push(this.buffered.subarray(0, length));
      this.buffered = this.buffered.subarray(length);
    }
    return messages;
  }
}

/** The command an OP_MSG carries: the first key of its body (section kind 0); undefined for anything else. */
export const commandOf = (message: Buffer): string | undefined => {
  if (message.readInt32LE(12) !== OP_MSG) return undefined;
  let offset = HEADER_BYTES + 4;
  while (offset < message.length) {
    const kind = message[offset];
    if (kind === 0) {
      const nameStart = offset + 1 + 4 + 1;
      return message.toString('utf8', nameStart, message.indexOf(0, nameStart));
    }
    offset += 1 + message.readInt32LE(offset + 1);
  }
  return undefined;
};

const expectsReply = (message: Buffer) => message.readInt32LE(12) !== OP_MSG || (message.readUInt32LE(HEADER_BYTES) & MORE_TO_COME) === 0;

interface QueuedWrite {
  message: Buffer;
  client: net.Socket;
}

/**
 * A MongoDB-wire proxy in front of FerretDB that sends the write commands of all its clients over one
 * connection, one at a time, and everything else (reads, cursors, handshakes) over a connection per
 * client. FerretDB (1.24, SQLite or PostgreSQL) applies an update as a read and a write that another
 * connection can slip between (FerretDB#3040): three processes doing `$inc` on one document lose
 * updates, and two compare-and-sets of the same version both succeed. One connection per process
 * (maxPoolSize=1) made each write atomic within the process; the funnel does it for every replica of
 * a service, as one MongoDB server does in the cluster.
 */
export class WriteFunnel {
  private readonly clients = new Set<net.Socket>();
  private readonly queue: QueuedWrite[] = [];
  private writer?: net.Socket;
  private writerReplies = new MessageReader();
  private inFlight?: QueuedWrite;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly upstreamPort: number,
  ) {}

  static async start(upstreamPort: number): Promise<WriteFunnel> {
    const port = await freePort();
    const server = net.createServer();
    const funnel = new WriteFunnel(server, port, upstreamPort);
    server.on('connection', (client) => funnel.accept(client));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return funnel;
  }

  /** `uri` (a FerretDB URI with its options) pointed at the funnel instead. */
  uriFor(uri: string): string {
    const url = new URL(uri);
    url.host = `127.0.0.1:${this.port}`;
    return url.toString();
  }

  async close(): Promise<void> {
    this.clients.forEach((client) => client.destroy());
    this.writer?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.clients.add(client);
    const reader = net.connect(this.upstreamPort, '127.0.0.1');
    const requests = new MessageReader();
    const closeBoth = () => {
      this.clients.delete(client);
      client.destroy();
      reader.destroy();
    };
    for (const socket of [client, reader]) {
      socket.on('close', closeBoth);
      socket.on('error', closeBoth);
    }
    // A driver sends one request at a time on a connection, so a reply never meets another on the client.
    reader.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      for (const message of requests.push(chunk)) {
        if (WRITE_COMMANDS.has(commandOf(message) ?? '')) this.enqueue({ message, client });
        else reader.write(message);
      }
    });
  }

  private enqueue(write: QueuedWrite): void {
    this.queue.push(write);
    this.next();
  }

  private next(): void {
    if (this.inFlight) return;
    const write = this.queue.shift();
    if (!write) return;
    // A client that left before its turn sent nothing: its write is dropped, as a closed connection's would be.
    if (write.client.destroyed) return this.next();
    this.inFlight = write;
    this.connectedWriter().write(write.message);
    if (!expectsReply(write.message)) this.done();
  }

  private done(): void {
    this.inFlight = undefined;
    this.next();
  }

  private connectedWriter(): net.Socket {
    if (this.writer && !this.writer.destroyed) return this.writer;
    const writer = net.connect(this.upstreamPort, '127.0.0.1');
    this.writer = writer;
    this.writerReplies = new MessageReader();
    writer.on('data', (chunk: Buffer) => {
      for (const reply of this.writerReplies.push(chunk)) {
        this.inFlight?.client.write(reply);
        this.done();
      }
    });
    // The server went away (a restart): the write in flight and those queued fail as a dropped connection does.
    const fail = () => {
      if (this.writer !== writer) return;
      this.writer = undefined;
      for (const write of [this.inFlight, ...this.queue.splice(0)]) write?.client.destroy();
      this.inFlight = undefined;
    };
    writer.on('close', fail);
    writer.on('error', fail);
    return writer;
  }
}
