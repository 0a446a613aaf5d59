import path from 'path';
import { runEntryPoint } from '@ticketing/common/testing';

const entry = path.join(__dirname, '../index.ts');

it('refuses to start without its keys, Redis, Mongo and NATS, naming every missing variable', async () => {
  const payments = runEntryPoint(entry);
  expect(await payments.exited).toBe(1);
  expect(payments.output()).toContain(
    'Missing required environment variable(s): JWT_KEY, STRIPE_KEY, REDIS_HOST, MONGO_URI, NATS_URL, NATS_CLUSTER_ID',
  );
});
