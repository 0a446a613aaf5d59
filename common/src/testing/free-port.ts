import net from 'net';

// Below Linux's ephemeral range (32768–60999 by default): no outgoing connection of any process takes these.
const lowest = 20_000;
const highest = 32_767;
const handedOut = new Set<number>();

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now and that this process has not handed out
 * before: a system picks every port before its processes bind them, so two of them never get the same one.
 */
export const freePort = async (): Promise<number> => {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const port = lowest + Math.floor(Math.random() * (highest - lowest + 1));
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${lowest} and ${highest}`);
};
