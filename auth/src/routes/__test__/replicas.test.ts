import crypto from 'crypto';
import request from 'supertest';
import { useTestDatabase } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { connectLimitsRedis } from '../../services/limits-redis';

useTestDatabase();

// Three replicas of auth: three apps, each with its own Redis connection, counting under one prefix.
const limits = { signupsPerAddress: 3, failedSigninsPerAddress: 10, failedSigninsPerAccount: 5 };
const connections = [connectLimitsRedis(), connectLimitsRedis(), connectLimitsRedis()];
let replicas: ReturnType<typeof buildApp>[];

beforeEach(() => {
  const keyPrefix = `test:${crypto.randomUUID()}:`;
  replicas = connections.map((redis) => buildApp({ limits, redis, keyPrefix }));
});

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.quit()));
});

/** Request `i` goes to replica i mod 3, as the gateway's round-robin sends them. */
const send = (i: number, path: string, body: object, address: string) =>
  request(replicas[i % 3])
    .post(path)
    .set('X-Forwarded-For', address)
    .send(body);

it('counts sign-ups per address over all replicas', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++)
    statuses.push((await send(i, '/api/users/signup', { email: `u${i}@example.com`, password: 'password123' }, '198.51.100.1')).status);
  expect(statuses).toEqual([201, 201, 201, 429]);
});

it('counts failed sign-ins per address over all replicas', async () => {
  const statuses: number[] = [];
  // One guess per account, so that only the per-address limit applies.
  for (let i = 0; i < 11; i++)
    statuses.push((await send(i, '/api/users/signin', { email: `spray${i}@example.com`, password: 'wrong' }, '198.51.100.2')).status);
  expect(statuses).toEqual([...Array<number>(10).fill(400), 429]);
});

it('locks an account out after 5 failures spread over the replicas, and parallel guesses meet one count', async () => {
  const guesses = await Promise.all(
    Array.from({ length: 15 }, (_, i) =>
      send(i, '/api/users/signin', { email: 'ann@example.com', password: `wrong-${i}` }, `203.0.113.${i + 1}`),
    ),
  );
  expect(guesses.filter((res) => res.status === 400)).toHaveLength(5);
  expect(guesses.filter((res) => res.status === 429)).toHaveLength(10);
});
