import crypto from 'crypto';
import request from 'supertest';
import type * as Api from '@ticketing/common/api';
import { useTestDatabase } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { limitsRedis } from '../../__test__/limits-redis';
import { User } from '../../models/user';

const app = buildApp({ redis: limitsRedis });

useTestDatabase();

const signup = (body: unknown) =>
  request(app)
    .post('/api/users/signup')
    .send(body as object);

it('creates the user, answers 201 {id, email} and sets an httpOnly session cookie', async () => {
  const res = await signup({ email: 'Ann@Example.com', password: 'correct horse' }).expect(201);

  expect(res.body).toEqual({ id: expect.any(String), email: 'ann@example.com' });
  const cookie = res.get('Set-Cookie')?.[0] ?? '';
  expect(cookie).toMatch(/^session=/);
  expect(cookie.toLowerCase()).toContain('httponly');
  expect(cookie.toLowerCase()).toContain('samesite=lax');
  expect(cookie.toLowerCase()).not.toContain('secure');
});

it('stores a salted hash with its parameters, never the password', async () => {
  await signup({ email: 'a@b.com', password: 'password123' }).expect(201);
  await signup({ email: 'c@d.com', password: 'password123' }).expect(201);

  const users = await User.find({});
  expect(users).toHaveLength(2);
  for (const user of users) expect(user.password).not.toContain('password123');
  // Self-describing: the scrypt parameters travel with the hash, so they can be raised later.
  for (const user of users) expect(user.password).toMatch(/^\$scrypt\$ln=\d+,r=\d+,p=\d+\$/);
  expect(users[0].password).not.toEqual(users[1].password);
});

it.each([
  ['an invalid email', { email: 'not-an-email', password: 'password123' }, 'email'],
  ['a missing email', { password: 'password123' }, 'email'],
  ['an email given as an operator object', { email: { $gt: '' }, password: 'password123' }, 'email'],
  ['a password shorter than 8', { email: 'a@b.com', password: '1234567' }, 'password'],
  ['a password longer than 128', { email: 'a@b.com', password: 'x'.repeat(129) }, 'password'],
  ['a password given as an object', { email: 'a@b.com', password: { $ne: null } }, 'password'],
  ['a missing password', { email: 'a@b.com' }, 'password'],
])('rejects %s with 400 naming the field', async (_case, body, field) => {
  const res = await signup(body).expect(400);
  expect((res.body as Api.ApiErrors).errors).toEqual(
    expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]),
  );
  expect(await User.countDocuments()).toBe(0);
});

it('accepts passwords of exactly 8 and 128 characters', async () => {
  await signup({ email: 'a@b.com', password: '12345678' }).expect(201);
  await signup({ email: 'c@d.com', password: 'x'.repeat(128) }).expect(201);
});

it('rejects an email that is in use, whatever its case', async () => {
  await signup({ email: 'a@b.com', password: 'password123' }).expect(201);
  const res = await signup({ email: 'A@B.com', password: 'other-password' }).expect(400);
  expect(res.body).toEqual({ errors: [{ message: 'Email in use', field: 'email' }] });
});

it('lets exactly one of several simultaneous signups for one email through', async () => {
  const results = await Promise.all(Array.from({ length: 5 }, () => signup({ email: 'race@b.com', password: 'password123' })));
  expect(results.map((res) => res.status).sort()).toEqual([201, 400, 400, 400, 400]);
  expect(await User.countDocuments({ email: 'race@b.com' })).toBe(1);
});

it('answers a malformed JSON body with 400 in the error shape', async () => {
  const res = await request(app)
    .post('/api/users/signup')
    .set('Content-Type', 'application/json')
    .send('{"email": "a@b.com", "password":')
    .expect(400);
  expect(res.body).toEqual({ errors: [{ message: 'Malformed JSON body' }] });
});

it('answers a very large body with 413 in the error shape', async () => {
  const res = await signup({ email: 'a@b.com', password: 'password123', padding: 'x'.repeat(100_000) }).expect(413);
  expect(res.body).toEqual({ errors: [{ message: 'Request body too large' }] });
  expect(await User.countDocuments()).toBe(0);
});

it('limits sign-ups per client address: a 429 in the error shape with Retry-After, nothing stored, other addresses unaffected', async () => {
  const limited = buildApp({
    redis: limitsRedis,
    limits: { signupsPerAddress: 3, failedSigninsPerAddress: 10, failedSigninsPerAccount: 5 },
    keyPrefix: `test:${crypto.randomUUID()}:`,
  });
  const from = (address: string, email: string) =>
    request(limited).post('/api/users/signup').set('X-Forwarded-For', address).send({ email, password: 'password123' });

  await from('198.51.100.1', 'a@b.com').expect(201);
  // A rejected sign-up counts as well: each one can probe whether an email is in use.
  await from('198.51.100.1', 'a@b.com').expect(400);
  await from('198.51.100.1', 'c@d.com').expect(201);

  const res = await from('198.51.100.1', 'e@f.com').expect(429);
  expect(res.body).toEqual({ errors: [{ message: 'Too many sign-ups from this address' }] });
  expect(Number(res.get('Retry-After'))).toBeGreaterThan(0);
  expect(res.get('RateLimit-Policy')).toContain('q=3; w=3600');
  expect(res.get('Set-Cookie')).toBeUndefined();
  expect(await User.countDocuments()).toBe(2);

  await from('203.0.113.7', 'e@f.com').expect(201);
});
