import request from 'supertest';
import { useTestQueues } from '../workers/__test__/test-queues';
import { buildApp } from '../app';

const testQueue = useTestQueues();

it('is ready while the queue is connected to Redis, and not after', async () => {
  const queue = testQueue();
  const app = buildApp(queue);
  await queue.client.ping();
  await request(app).get('/healthz').expect(200, { status: 'ok', deadLetters: 0, unhandledRejections: 0, failing: {} });

  await queue.close();
  await request(app).get('/healthz').expect(503);
});

it('has no other routes', async () => {
  const res = await request(buildApp(testQueue())).get('/api/expiration').expect(404);
  expect(res.body).toEqual({ errors: [{ message: 'Not found' }] });
});
