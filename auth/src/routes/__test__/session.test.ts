import jwt from 'jsonwebtoken';
import request from 'supertest';
import type * as Api from '@ticketing/common/api';
import { sessionCookie, useTestDatabase } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { limitsRedis } from '../../__test__/limits-redis';

const app = buildApp({ redis: limitsRedis });

useTestDatabase();

const signupCookie = async () => {
  const res = await request(app).post('/api/users/signup').send({ email: 'ann@example.com', password: 'password123' }).expect(201);
  return res.get('Set-Cookie') ?? [];
};

it('reports the signed-in user with id, email and iat', async () => {
  const cookie = await signupCookie();
  const res = await request(app).get('/api/users/currentuser').set('Cookie', cookie).expect(200);
  expect((res.body as Api.CurrentUserResponse).currentUser).toEqual({
    id: expect.any(String),
    email: 'ann@example.com',
    iat: expect.any(Number),
  });
});

it('reports null without a cookie', async () => {
  const res = await request(app).get('/api/users/currentuser').expect(200);
  expect(res.body).toEqual({ currentUser: null });
});

it('treats a JWT signed with another key as signed out', async () => {
  const forged = jwt.sign({ id: 'someone', email: 'evil@example.com' }, 'not-the-key');
  const res = await request(app)
    .get('/api/users/currentuser')
    .set('Cookie', [sessionCookie(forged)])
    .expect(200);
  expect(res.body).toEqual({ currentUser: null });
});

it('treats a JWT with an altered payload as signed out', async () => {
  const cookie = await signupCookie();
  const token = (JSON.parse(Buffer.from(cookie[0].split(';')[0].slice('session='.length), 'base64').toString()) as { jwt: string }).jwt;
  const [header, , signature] = token.split('.');
  const payload = Buffer.from(JSON.stringify({ id: 'admin', email: 'admin@example.com' })).toString('base64url');
  const res = await request(app)
    .get('/api/users/currentuser')
    .set('Cookie', [sessionCookie(`${header}.${payload}.${signature}`)])
    .expect(200);
  expect(res.body).toEqual({ currentUser: null });
});

it('treats an unsigned ("alg: none") JWT as signed out', async () => {
  const unsigned = jwt.sign({ id: 'x', email: 'x@example.com' }, '', { algorithm: 'none' });
  const res = await request(app)
    .get('/api/users/currentuser')
    .set('Cookie', [sessionCookie(unsigned)])
    .expect(200);
  expect(res.body).toEqual({ currentUser: null });
});

it('treats an expired JWT as signed out', async () => {
  const expired = jwt.sign({ id: 'x', email: 'x@example.com', exp: Math.floor(Date.now() / 1000) - 10 }, process.env.JWT_KEY!);
  const res = await request(app)
    .get('/api/users/currentuser')
    .set('Cookie', [sessionCookie(expired)])
    .expect(200);
  expect(res.body).toEqual({ currentUser: null });
});

it('treats a cookie that is not base64 JSON as signed out', async () => {
  const res = await request(app).get('/api/users/currentuser').set('Cookie', ['session=%%%garbage']).expect(200);
  expect(res.body).toEqual({ currentUser: null });
});

it('signs out: 200 {} and a cleared cookie, after which the user is null', async () => {
  const cookie = await signupCookie();
  const res = await request(app).post('/api/users/signout').set('Cookie', cookie).expect(200);
  expect(res.body).toEqual({});
  const cleared = res.get('Set-Cookie')?.[0] ?? '';
  expect(cleared).toMatch(/^session=;/);
  expect(cleared).toMatch(/expires=Thu, 01 Jan 1970/i);
});

it('answers an unknown route with 404 in the error shape', async () => {
  const res = await request(app).get('/api/users/nothing-here').expect(404);
  expect(res.body).toEqual({ errors: [{ message: 'Not found' }] });
});

it('serves a health endpoint for probes', async () => {
  await request(app).get('/healthz').expect(200, { status: 'ok', deadLetters: 0, unhandledRejections: 0, failing: {} });
});

it('sends security headers', async () => {
  const res = await request(app).get('/api/users/currentuser');
  expect(res.get('X-Content-Type-Options')).toBe('nosniff');
  expect(res.get('X-Frame-Options')).toBe('SAMEORIGIN');
  expect(res.get('Content-Security-Policy')).toContain("default-src 'self'");
  expect(res.get('Strict-Transport-Security')).toBeDefined();
});
