import fs from 'fs';
import net from 'net';
import path from 'path';
import { repoRoot } from '../../infra/tools';
import { buildClientIfStale, clientProcess } from '../client';

/** A port nothing listens on: the API of a system whose gateway is not up yet. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

it('starts the standalone client quietly before the API is up, serving its static assets', async () => {
  buildClientIfStale(() => undefined);
  const lines: string[] = [];
  const client = clientProcess({
    port: await closedPort(),
    apiUrl: `http://127.0.0.1:${await closedPort()}`,
    log: (_name, line) => lines.push(line),
  });
  try {
    await client.start();
    const staticDir = path.join(repoRoot, 'client/.next/static');
    const css = fs.readdirSync(staticDir, { recursive: true, encoding: 'utf8' }).find((file) => file.endsWith('.css'));
    expect((await fetch(`${client.url}/_next/static/${css}`)).status).toBe(200);
    // Neither next start's warning about `output: standalone` nor a page's failed call to the API while ready was checked.
    expect(lines.filter((line) => /standalone|fetch failed|failed:/i.test(line))).toEqual([]);
  } finally {
    await client.stop();
  }
}, 300_000);
