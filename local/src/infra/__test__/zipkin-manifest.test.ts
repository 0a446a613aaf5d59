// Zipkin's server jar run with the observability manifest's container env: the collector the services post their
// spans to, the query API that reads them back and the web UI (Zipkin Lens) the release ships, on 127.0.0.1 only.
import { canConnect } from '../process';
import { Server, startZipkin } from '../servers';
import { manifestZipkinEnv } from '../zipkin-config';

let zipkin: Server;

beforeAll(async () => {
  zipkin = await startZipkin();
}, 90_000);

afterAll(async () => {
  await zipkin?.stop();
});

const uiUrl = () => zipkin.env.TRACES_URL;

it('runs with the manifest’s storage, span cap and heap', () => {
  expect(manifestZipkinEnv()).toEqual({
    STORAGE_TYPE: 'mem',
    MEM_MAX_SPANS: expect.stringMatching(/^\d+$/),
    JAVA_OPTS: expect.stringContaining('-Xmx'),
  });
});

it('stores the spans posted to OTEL_EXPORTER_ZIPKIN_ENDPOINT and answers them by trace id', async () => {
  const traceId = '5af7183fb1d4cf5f5af7183fb1d4cf5f';
  const span = {
    traceId,
    id: '6b221d5bc9e6496c',
    name: 'order:created process',
    kind: 'CONSUMER',
    timestamp: Date.now() * 1000,
    duration: 1500,
    localEndpoint: { serviceName: 'tickets' },
    tags: { 'messaging.system': 'nats' },
  };
  const posted = await fetch(zipkin.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([span]),
  });
  expect(posted.status).toBe(202);
  const res = await fetch(new URL(`/api/v2/trace/${traceId}`, uiUrl()));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual([span]);
});

it('serves Zipkin Lens, the React app of the release, not a placeholder page', async () => {
  const page = await fetch(uiUrl());
  expect(page.status).toBe(200);
  const html = await page.text();
  const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
  if (!script) throw new Error(`no script in the UI page:\n${html}`);
  const bundle = await fetch(new URL(script, uiUrl()));
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get('content-type')).toContain('javascript');
  // Lens is a bundle of megabytes (React, Material UI, the trace views).
  expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
});

it('listens on 127.0.0.1 alone, not on every address', async () => {
  const port = Number(new URL(uiUrl()).port);
  expect(await canConnect(port)).toBe(true);
  expect(await canConnect(port, '127.0.0.2')).toBe(false);
});
