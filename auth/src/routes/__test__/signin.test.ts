import request from 'supertest';
import type * as Api from '@ticketing/common/api';
import { useTestDatabase } from '@ticketing/common/testing';
import { app } from '../../app';

useTestDatabase();

const credentials = { email: 'ann@example.com', password: 'password123' };

beforeEach(async () => {
  await request(app).post('/api/users/signup').send(credentials).expect(201);
});

const signin = (body: unknown) => request(app).post('/api/users/signin').send(body as object);

it('signs in with the right password: 200 {id, email} and a session cookie', async () => {
  const res = await signin(credentials).expect(200);
  expect(res.body).toEqual({ id: expect.any(String), email: 'ann@example.com' });
  expect(res.get('Set-Cookie')?.[0]).toMatch(/^session=/);
});

it('matches the email regardless of case and surrounding spaces', async () => {
  await signin({ email: '  ANN@example.com ', password: 'password123' }).expect(200);
});

it('gives an unknown email and a wrong password the same 400', async () => {
  const unknown = await signin({ email: 'nobody@example.com', password: 'password123' }).expect(400);
  const wrong = await signin({ email: 'ann@example.com', password: 'wrong-password' }).expect(400);

  expect(unknown.body).toEqual({ errors: [{ message: 'Invalid credentials' }] });
  expect(wrong.body).toEqual(unknown.body);
  expect(wrong.get('Set-Cookie')).toBeUndefined();
});

it.each([
  ['an email operator object', { email: { $gt: '' }, password: 'password123' }, 'email'],
  ['a password operator object', { email: 'ann@example.com', password: { $ne: '' } }, 'password'],
  ['an empty password', { email: 'ann@example.com', password: '' }, 'password'],
  ['an invalid email', { email: 'ann', password: 'password123' }, 'email'],
])('rejects %s with 400', async (_case, body, field) => {
  const res = await signin(body).expect(400);
  expect((res.body as Api.ApiErrors).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
});

it('rate-limits failed sign-ins per client with a 429 in the error shape, ignoring successful ones', async () => {
  // A client of its own (behind the one trusted proxy), so other tests' attempts do not count.
  const fromClient = (body: unknown) => signin(body).set('X-Forwarded-For', '198.51.100.1');
  for (let i = 0; i < 5; i++) await fromClient(credentials).expect(200);
  for (let i = 0; i < 10; i++) await fromClient({ ...credentials, password: `wrong-${i}` }).expect(400);

  const limited = await fromClient({ ...credentials, password: 'wrong-again' }).expect(429);
  expect(limited.body).toEqual({ errors: [{ message: 'Too many sign-in attempts, try again in 15 minutes' }] });
  expect(limited.get('RateLimit-Policy')).toBeDefined();
  // Even the right password waits out the window now.
  await fromClient(credentials).expect(429);
  // Another client is not affected.
  await signin(credentials).set('X-Forwarded-For', '203.0.113.7').expect(200);
});
