import crypto from 'crypto';
import request from 'supertest';
import type * as Api from '@ticketing/common/api';
import { useTestDatabase } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { limitsRedis } from '../../__test__/limits-redis';
import { User } from '../../models/user';

const app = buildApp({ redis: limitsRedis });

useTestDatabase();

const credentials = { email: 'ann@example.com', password: 'password123' };

beforeEach(async () => {
  await request(app).post('/api/users/signup').send(credentials).expect(201);
});

const signin = (body: unknown) =>
  request(app)
    .post('/api/users/signin')
    .send(body as object);

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
  // One guess per account, as in password spraying, so that only the per-address limit applies.
  for (let i = 0; i < 10; i++) await fromClient({ email: `user${i}@example.com`, password: `wrong-${i}` }).expect(400);

  const limited = await fromClient({ ...credentials, password: 'wrong-again' }).expect(429);
  expect(limited.body).toEqual({ errors: [{ message: 'Too many failed sign-ins from this address' }] });
  expect(limited.get('RateLimit-Policy')).toBeDefined();
  expect(limited.get('Retry-After')).toMatch(/^[1-9]\d*$/);
  // Another client is not affected.
  await signin(credentials).set('X-Forwarded-For', '203.0.113.7').expect(200);
});

it("signs in the right password from an address over its limit: other accounts' failures refuse only wrong ones", async () => {
  const fromClient = (body: unknown) => signin(body).set('X-Forwarded-For', '198.51.100.2');
  for (let i = 0; i < 11; i++) await fromClient({ email: `other${i}@example.com`, password: `wrong-${i}` });
  await fromClient({ email: 'other@example.com', password: 'wrong' }).expect(429);

  const accepted = await fromClient(credentials).expect(200);
  expect(accepted.body).toEqual({ id: expect.any(String), email: 'ann@example.com' });
  expect(accepted.get('Retry-After')).toBeUndefined();
  // The success does not clear the address's failures.
  await fromClient({ ...credentials, password: 'wrong' }).expect(429);
});

it('signs in a user whose hash predates stored parameters, and moves the hash to the current format', async () => {
  // `salt.hash` in hex with Node's default scrypt, written past the model as the old code stored it.
  const salt = crypto.randomBytes(16);
  const legacy = `${salt.toString('hex')}.${crypto.scryptSync('old-password', salt, 64).toString('hex')}`;
  await User.collection.insertOne({ email: 'old@example.com', password: legacy });

  await signin({ email: 'old@example.com', password: 'wrong-password' }).expect(400);
  expect((await User.findOne({ email: 'old@example.com' }))?.password).toBe(legacy);

  await signin({ email: 'old@example.com', password: 'old-password' }).expect(200);
  const rehashed = (await User.findOne({ email: 'old@example.com' }))?.password;
  expect(rehashed).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
  await signin({ email: 'old@example.com', password: 'old-password' }).expect(200);
});
