import path from 'path';
import { runEntryPoint } from '@ticketing/common/testing';

const entry = path.join(__dirname, '../index.ts');

it('refuses to start without Redis and NATS, naming every missing variable', async () => {
  const expiration = runEntryPoint(entry);
  expect(await expiration.exited).toBe(1);
  expect(expiration.output()).toContain('Missing required environment variable(s): REDIS_HOST, NATS_URL, NATS_CLUSTER_ID');
});
