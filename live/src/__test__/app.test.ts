import path from 'path';
import request from 'supertest';
import { runEntryPoint } from '@ticketing/common/testing';
import { buildApp } from '../app';
import { liveConfigFromEnv } from '../config';

it('answers a plain GET /api/live with 426, asking for the upgrade', async () => {
  const res = await request(buildApp()).get('/api/live').expect(426);
  expect(res.headers.upgrade).toBe('websocket');
  expect(res.body).toEqual({ errors: [{ message: 'Upgrade to a WebSocket' }] });
});

it('has the health endpoints', async () => {
  await request(buildApp()).get('/healthz').expect(200);
  await request(buildApp()).get('/livez').expect(200, { status: 'alive' });
});

it('reads its limits from the environment, and refuses nonsense', () => {
  expect(liveConfigFromEnv({ LIVE_MAX_SOCKETS_PER_USER: '3', LIVE_ORDER_ROUTE_MINUTES: '2' })).toMatchObject({
    maxSocketsPerUser: 3,
    maxSockets: 10_000,
    maxAnonymousSocketsPerAddress: 50,
    trustProxy: 1,
    orderRouteMs: 120_000,
  });
  expect(liveConfigFromEnv({ LIVE_MAX_ANONYMOUS_SOCKETS_PER_ADDRESS: '3', TRUST_PROXY: '2' })).toMatchObject({
    maxAnonymousSocketsPerAddress: 3,
    trustProxy: 2,
  });
  expect(() => liveConfigFromEnv({ LIVE_MAX_BUFFERED_BYTES: '-1' })).toThrow(
    'LIVE_MAX_BUFFERED_BYTES must be a positive integer, not "-1"',
  );
});

it('refuses to start without the JWT key and NATS, naming every missing variable', async () => {
  const live = runEntryPoint(path.join(__dirname, '../index.ts'));
  expect(await live.exited).toBe(1);
  expect(live.output()).toContain('Missing required environment variable(s): JWT_KEY, NATS_URL, NATS_CLUSTER_ID');
});
