import WebSocket from 'ws';

export interface TestSocket<Message> {
  socket: WebSocket;
  messages: Message[];
  closed: Promise<number>;
}

/** A real client socket that records the JSON messages it is sent; rejects when the upgrade is refused. */
export const connectTestSocket = <Message>(url: string, headers: Record<string, string> = {}): Promise<TestSocket<Message>> => {
  const socket = new WebSocket(url, { headers });
  const messages: Message[] = [];
  socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString()) as Message));
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages, closed }));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    socket.once('error', reject);
  });
};
