import net from 'net';

export interface RawRequest {
  method?: string;
  target: string;
  headers?: Record<string, string>;
  /** Sent as a WebSocket upgrade (Connection: Upgrade, a key and a version). */
  upgrade?: boolean;
}

/** What came back: the status of the first response line, or undefined when the server closed without one. */
export interface RawAnswer {
  status?: number;
  /** The server closed or reset the connection before answering. */
  closed: boolean;
}

const UPGRADE_HEADERS = {
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Version': '13',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
};

/** The request exactly as given, bytes a client library would refuse to send included. */
const rawText = ({ method = 'GET', target, headers = {}, upgrade = false }: RawRequest, host: string): string => {
  const all = { Host: host, ...(upgrade ? UPGRADE_HEADERS : { Connection: 'close' }), ...headers };
  const lines = Object.entries(all).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
};

/** Sends one request over a fresh TCP connection and reads the status line of the answer. */
export const sendRaw = (url: string, request: RawRequest, timeoutMs = 5_000): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const { hostname, port, host } = new URL(url);
    const socket = net.connect({ host: hostname, port: Number(port) });
    let received = '';
    const finish = (answer: RawAnswer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(request)} from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(rawText(request, host)));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (statusLine) finish({ status: Number(statusLine[1]), closed: false });
    });
    socket.on('error', () => finish({ closed: true }));
    socket.on('close', () => finish({ closed: true }));
  });
