import crypto from 'crypto';
import request from 'supertest';
import { useTestDatabase } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { limitsRedis } from '../../__test__/limits-redis';

useTestDatabase();

// Each test: an app with fresh limits (keys of its own in Redis), and a clock of its own that only the test moves.
let clock: number;
let app: ReturnType<typeof buildApp>;
beforeEach(() => {
  clock = Date.parse('2030-01-01T00:00:00Z');
  app = buildApp({
    redis: limitsRedis,
    limits: { signupsPerAddress: 100, failedSigninsPerAddress: 100, failedSigninsPerAccount: 5 },
    now: () => clock,
    keyPrefix: `test:${crypto.randomUUID()}:`,
  });
});
const advance = (seconds: number) => (clock += seconds * 1000);

const ann = { email: 'ann@example.com', password: 'password123' };
beforeEach(async () => {
  await request(app).post('/api/users/signup').send(ann).expect(201);
});

// Every attempt from another address, to show that the count follows the account, not the client.
let address = 0;
const signin = (body: object) =>
  request(app)
    .post('/api/users/signin')
    .set('X-Forwarded-For', `198.51.100.${(address++ % 250) + 1}`)
    .send(body);
const fail = (email = ann.email) => signin({ email, password: 'wrong-password' });

it('refuses an account for 2 s after 5 failures, from any address, with Retry-After and the error shape', async () => {
  for (let i = 0; i < 5; i++) await fail().expect(400);

  // Even the right password, and the email written differently.
  const refused = await signin({ ...ann, email: ' ANN@Example.com' }).expect(429);
  expect(refused.body).toEqual({ errors: [{ message: 'Too many failed sign-ins for this account' }] });
  expect(refused.get('Retry-After')).toBe('2');
  expect(refused.get('Set-Cookie')).toBeUndefined();

  advance(1.5);
  expect((await signin(ann).expect(429)).get('Retry-After')).toBe('1');
  advance(0.5);
  await signin(ann).expect(200);
});

it('counts per account: another account, known or not, is not held back', async () => {
  await request(app).post('/api/users/signup').send({ email: 'bob@example.com', password: 'password123' }).expect(201);
  for (let i = 0; i < 5; i++) await fail().expect(400);
  await fail().expect(429);

  await signin({ email: 'bob@example.com', password: 'password123' }).expect(200);
  await fail('nobody@example.com').expect(400);
});

it('locks unknown emails alike, so a 429 does not reveal whether an account exists', async () => {
  for (let i = 0; i < 5; i++) await fail('nobody@example.com').expect(400);
  const refused = await fail('nobody@example.com').expect(429);
  expect(refused.get('Retry-After')).toBe('2');
});

it('lets no more than 5 guesses through when they arrive all at once', async () => {
  const results = await Promise.all(Array.from({ length: 12 }, () => fail()));
  const statuses = results.map((res) => res.status).sort();
  expect(statuses).toEqual([...Array(5).fill(400), ...Array(7).fill(429)]);
});

it('backs off: each failure after the lock doubles it, up to a minute', async () => {
  for (let i = 0; i < 5; i++) await fail().expect(400);
  const waits: number[] = [];
  for (let i = 0; i < 7; i++) {
    const wait = Number((await fail().expect(429)).get('Retry-After'));
    waits.push(wait);
    advance(wait - 0.001);
    await fail().expect(429);
    advance(0.001);
    await fail().expect(400);
  }
  expect(waits).toEqual([2, 4, 8, 16, 32, 60, 60]);
  // A minute at most, whatever the count: the real user gets back in.
  advance(60);
  await signin(ann).expect(200);
});

it('clears the count on a successful sign-in', async () => {
  for (let i = 0; i < 4; i++) await fail().expect(400);
  await signin(ann).expect(200);
  for (let i = 0; i < 4; i++) await fail().expect(400);
  await signin(ann).expect(200);
});

it('forgets failures 15 minutes after the latest one', async () => {
  for (let i = 0; i < 5; i++) await fail().expect(400);
  advance(15 * 60);
  // A fresh count: four more failures do not lock the account.
  for (let i = 0; i < 4; i++) await fail().expect(400);
  await signin(ann).expect(200);
});

it('still counts failures that stop short of 15 minutes apart', async () => {
  for (let i = 0; i < 4; i++) {
    await fail().expect(400);
    advance(14 * 60);
  }
  await fail().expect(400);
  await signin(ann).expect(429);
});
