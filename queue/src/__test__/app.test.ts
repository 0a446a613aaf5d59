import path from 'path';
import request from 'supertest';
import { runEntryPoint } from '@ticketing/common/testing';
import { queueConfigFromEnv } from '../config';
import { startReplica } from './queue-harness';

it('is ready while connected to Redis', async () => {
  const replica = await startReplica();
  await request(replica.app).get('/healthz').expect(200);
  await replica.close();
  await request(replica.app).get('/healthz').expect(503);
  await request(replica.app).get('/livez').expect(200, { status: 'alive' });
});

it('reads its settings from the environment, and refuses nonsense', () => {
  expect(queueConfigFromEnv({ QUEUE_ADMISSION_MS: '30000' })).toMatchObject({ admissionMs: 30_000, pushIntervalMs: 1_000 });
  expect(queueConfigFromEnv({}).admissionMs).toBe(120_000);
  expect(() => queueConfigFromEnv({ QUEUE_ADMISSION_MS: '0' })).toThrow('QUEUE_ADMISSION_MS must be a positive integer, not "0"');
});

it('refuses to start without the JWT and admission keys, Redis and NATS, naming every missing variable', async () => {
  const queue = runEntryPoint(path.join(__dirname, '../index.ts'));
  expect(await queue.exited).toBe(1);
  expect(queue.output()).toContain(
    'Missing required environment variable(s): JWT_KEY, ADMISSION_KEY, REDIS_HOST, NATS_URL, NATS_CLUSTER_ID',
  );
});
