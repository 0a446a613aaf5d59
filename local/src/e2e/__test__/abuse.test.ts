import http from 'http';
import jwt from 'jsonwebtoken';
import { sessionCookie } from '@ticketing/common/testing';
import type { ApiErrors, Order, Ticket } from '@ticketing/common/api';
import { ApiClient, eventually, uniqueEmail } from '../api-client';
import { figure } from '../figures';
import { useSystem } from '../system-under-test';

// Bad input on every route, through the gateway: the documented 4xx, the error shape, no 500, nothing stored.
let owner: ApiClient;
let stranger: ApiClient;
let ticket: Ticket;
let order: Order;

// Recorded as the tests run and pass, so that the [figure] line states only what was checked:
// the status of every bad request sent, how many cases held, and each limit once its test held.
const checked = {
  statuses: [] as number[],
  passed: 0,
  signinLimit: undefined as number | undefined,
  signupLimit: undefined as number | undefined,
  accountLimit: undefined as number | undefined,
};
const held = (limit: number | undefined, what: (n: number) => string, name: string) =>
  limit === undefined ? `${name} not checked` : what(limit);

// Auth's default; the local system raises it because all its clients share 127.0.0.1.
const SIGNUP_LIMIT = 20;

const sut = useSystem({
  system: { serviceEnv: { auth: { SIGNUP_RATE_LIMIT: String(SIGNUP_LIMIT) } } },
  connect: async ({ signUp }) => {
    owner = await signUp('owner');
    stranger = await signUp('stranger');
    ticket = (await owner.post<Ticket>('/api/tickets', { title: 'Mine', price: 10 })).body;
    const other = (await stranger.post<Ticket>('/api/tickets', { title: 'Theirs', price: 12 })).body;
    order = await eventually(
      async () => {
        const res = await owner.post<Order>('/api/orders', { ticketId: other.id });
        return res.status === 201 ? res.body : undefined;
      },
      15_000,
      'an order',
    );
  },
});

afterAll(() => {
  const serverErrors = checked.statuses.filter((status) => status >= 500).length;
  const limits = [
    held(checked.signinLimit, (n) => `sign-in limited after ${n} failures per address`, 'sign-in limit'),
    held(checked.accountLimit, (n) => `account refused after ${n} failures`, 'account limit'),
    held(checked.signupLimit, (n) => `sign-up limited after ${n} per address`, 'sign-up limit'),
  ].join(', ');
  figure(
    `abuse: ${checked.passed} of ${checked.statuses.length} bad requests answered with the documented 4xx and error shape, nothing stored; ${serverErrors} × 5xx; ${limits}`,
  );
});

type As = 'anonymous' | 'owner' | 'stranger' | 'forged' | 'expired' | 'none-alg';

interface Case {
  name: string;
  as: As;
  method: string;
  path: () => string;
  body?: unknown;
  rawBody?: string;
  status: number;
}

const huge = 'x'.repeat(20_000);
const objectId = '507f1f77bcf86cd799439011';

// One case a line, so the table reads as a table.
// prettier-ignore
const cases: Case[] = [
  // auth
  { name: 'signup email as operator', as: 'anonymous', method: 'POST', path: () => '/api/users/signup', body: { email: { $gt: '' }, password: 'password123' }, status: 400 },
  { name: 'signup password as array', as: 'anonymous', method: 'POST', path: () => '/api/users/signup', body: { email: 'a@b.co', password: ['x'] }, status: 400 },
  { name: 'signup missing fields', as: 'anonymous', method: 'POST', path: () => '/api/users/signup', body: {}, status: 400 },
  { name: 'signup huge email', as: 'anonymous', method: 'POST', path: () => '/api/users/signup', body: { email: `${'a'.repeat(5000)}@b.co`, password: 'password123' }, status: 400 },
  { name: 'signup oversize body', as: 'anonymous', method: 'POST', path: () => '/api/users/signup', body: { email: 'a@b.co', password: 'password123', pad: huge }, status: 413 },
  { name: 'signup malformed JSON', as: 'anonymous', method: 'POST', path: () => '/api/users/signup', rawBody: '{"email":', status: 400 },
  { name: 'signin operators', as: 'anonymous', method: 'POST', path: () => '/api/users/signin', body: { email: { $ne: null }, password: { $ne: null } }, status: 400 },
  // tickets
  { name: 'create ticket signed out', as: 'anonymous', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: 10 }, status: 401 },
  { name: 'create ticket with a forged JWT', as: 'forged', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: 10 }, status: 401 },
  { name: 'create ticket with an expired JWT', as: 'expired', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: 10 }, status: 401 },
  { name: 'create ticket with an unsigned JWT', as: 'none-alg', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: 10 }, status: 401 },
  { name: 'ticket without title', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { price: 10 }, status: 400 },
  { name: 'ticket title blank', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: '   ', price: 10 }, status: 400 },
  { name: 'ticket title operator', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: { $gt: '' }, price: 10 }, status: 400 },
  { name: 'ticket title too long', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: 'x'.repeat(5000), price: 10 }, status: 400 },
  { name: 'ticket negative price', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: -5 }, status: 400 },
  { name: 'ticket zero price', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: 0 }, status: 400 },
  { name: 'ticket 3-decimal price', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: 1.234 }, status: 400 },
  { name: 'ticket price as string', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: '10' }, status: 400 },
  { name: 'ticket price operator', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: { $gt: 0 } }, status: 400 },
  { name: 'ticket price huge', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: 1e21 }, status: 400 },
  { name: 'ticket price below what Stripe charges', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: 0.49 }, status: 400 },
  { name: 'ticket price above what Stripe charges', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: 'T', price: 1_000_000 }, status: 400 },
  { name: 'ticket oversize body', as: 'owner', method: 'POST', path: () => '/api/tickets', body: { title: huge, price: 10 }, status: 413 },
  { name: 'show ticket invalid id', as: 'anonymous', method: 'GET', path: () => '/api/tickets/not-an-id', status: 404 },
  { name: 'show ticket operator id', as: 'anonymous', method: 'GET', path: () => `/api/tickets/${encodeURIComponent('{"$gt":""}')}`, status: 404 },
  { name: 'show unknown ticket', as: 'anonymous', method: 'GET', path: () => `/api/tickets/${objectId}`, status: 404 },
  { name: 'show ticket with a malformed escape', as: 'anonymous', method: 'GET', path: () => '/api/tickets/%E0', status: 400 },
  { name: 'list with negative limit', as: 'anonymous', method: 'GET', path: () => '/api/tickets?limit=-1', status: 400 },
  { name: 'list with bad cursor', as: 'anonymous', method: 'GET', path: () => '/api/tickets?cursor=zzz', status: 400 },
  { name: "edit another user's ticket", as: 'stranger', method: 'PUT', path: () => `/api/tickets/${ticket.id}`, body: { title: 'Stolen', price: 1 }, status: 401 },
  { name: 'edit ticket signed out', as: 'anonymous', method: 'PUT', path: () => `/api/tickets/${ticket.id}`, body: { title: 'X', price: 1 }, status: 401 },
  { name: 'edit ticket bad price', as: 'owner', method: 'PUT', path: () => `/api/tickets/${ticket.id}`, body: { title: 'X', price: 1.001 }, status: 400 },
  { name: 'edit ticket invalid id', as: 'owner', method: 'PUT', path: () => '/api/tickets/123', body: { title: 'X', price: 1 }, status: 404 },
  // orders
  { name: 'order signed out', as: 'anonymous', method: 'POST', path: () => '/api/orders', body: { ticketId: objectId }, status: 401 },
  { name: 'order without ticketId', as: 'stranger', method: 'POST', path: () => '/api/orders', body: {}, status: 400 },
  { name: 'order ticketId operator', as: 'stranger', method: 'POST', path: () => '/api/orders', body: { ticketId: { $ne: null } }, status: 400 },
  { name: 'order ticketId not an id', as: 'stranger', method: 'POST', path: () => '/api/orders', body: { ticketId: 'abc' }, status: 400 },
  { name: 'order unknown ticket', as: 'stranger', method: 'POST', path: () => '/api/orders', body: { ticketId: objectId }, status: 404 },
  { name: 'list orders signed out', as: 'anonymous', method: 'GET', path: () => '/api/orders', status: 401 },
  { name: "show another user's order", as: 'stranger', method: 'GET', path: () => `/api/orders/${order.id}`, status: 401 },
  { name: 'show order invalid id', as: 'owner', method: 'GET', path: () => '/api/orders/nope', status: 404 },
  { name: 'show order with a malformed escape', as: 'owner', method: 'GET', path: () => '/api/orders/%E0', status: 400 },
  { name: "cancel another user's order", as: 'stranger', method: 'DELETE', path: () => `/api/orders/${order.id}`, status: 401 },
  { name: 'cancel order invalid id', as: 'owner', method: 'DELETE', path: () => '/api/orders/nope', status: 404 },
  // payments
  { name: 'pay signed out', as: 'anonymous', method: 'POST', path: () => '/api/payments', get body() { return { orderId: order.id, token: 'tok_visa' }; }, status: 401 },
  { name: 'pay without token', as: 'owner', method: 'POST', path: () => '/api/payments', get body() { return { orderId: order.id }; }, status: 400 },
  { name: 'pay token operator', as: 'owner', method: 'POST', path: () => '/api/payments', get body() { return { orderId: order.id, token: { $gt: '' } }; }, status: 400 },
  { name: 'pay orderId operator', as: 'owner', method: 'POST', path: () => '/api/payments', body: { orderId: { $ne: null }, token: 'tok_visa' }, status: 400 },
  { name: 'pay unknown order', as: 'owner', method: 'POST', path: () => '/api/payments', body: { orderId: objectId, token: 'tok_visa' }, status: 404 },
  { name: "pay another user's order", as: 'stranger', method: 'POST', path: () => '/api/payments', get body() { return { orderId: order.id, token: 'tok_visa' }; }, status: 401 },
];

const cookieFor = (as: As): string | undefined => {
  const key = sut.system.env.JWT_KEY;
  const claims = { id: objectId, email: 'mallory@example.com' };
  switch (as) {
    case 'forged':
      return sessionCookie(jwt.sign(claims, 'guessed-key'));
    case 'expired':
      return sessionCookie(jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, key));
    case 'none-alg':
      return sessionCookie(jwt.sign(claims, '', { algorithm: 'none' }));
    default:
      return undefined;
  }
};

const send = async ({ as, method, path, body, rawBody }: Case) => {
  if (as === 'owner' || as === 'stranger') {
    const client = as === 'owner' ? owner : stranger;
    if (rawBody === undefined) return client.request<ApiErrors>(method, path(), body);
  }
  const cookie = cookieFor(as);
  const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  const res = await fetch(`${sut.system.url}${path()}`, {
    method,
    headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...(cookie ? { Cookie: cookie } : {}) },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as ApiErrors, headers: res.headers };
};

it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
  const before = await sut.databases.snapshot();
  const res = await send(testCase);
  checked.statuses.push(res.status);

  expect(res.status).toBe(testCase.status);
  expect(res.body).toEqual({ errors: expect.arrayContaining([expect.objectContaining({ message: expect.any(String) })]) });
  for (const error of res.body.errors) expect(Object.keys(error).every((key) => key === 'message' || key === 'field')).toBe(true);
  expect(await sut.databases.snapshot()).toEqual(before);
  checked.passed += 1;
});

it('sends security headers and an httpOnly, SameSite session cookie through the gateway', async () => {
  const res = await fetch(`${sut.system.url}/api/users/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: uniqueEmail('headers'), password: 'password123' }),
  });
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/httponly/i);
  expect(cookie).toMatch(/samesite=lax/i);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(res.headers.get('x-powered-by')).toBeNull();
});

interface Answer {
  status: number;
  body: ApiErrors;
  retryAfter?: string;
}

/** A POST from another loopback address: a client of its own, as the gateway reports it. */
const postFrom = (localAddress: string, path: string, body: { email: string; password: string }) =>
  new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      `${sut.system.url}${path}`,
      { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as ApiErrors, retryAfter: res.headers['retry-after'] }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });

const signinFrom = (localAddress: string, email: string, password: string) =>
  postFrom(localAddress, '/api/users/signin', { email, password });
const signupFrom = (localAddress: string, email: string) => postFrom(localAddress, '/api/users/signup', { email, password: 'password123' });

/** A 429 in the error shape that says when to come back. */
const expectRefused = (res: Answer) => {
  expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(/too many/i) }] });
  expect(res.retryAfter).toMatch(/^[1-9]\d*$/);
};

it("rate-limits repeated failed sign-ins per client with a clear 429, never refusing another account's right password", async () => {
  const neighbour = uniqueEmail('neighbour');
  expect((await signupFrom('127.0.0.9', neighbour)).status).toBe(201);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    // One guess per account, as in password spraying: the per-address limit, not the per-account one.
    const res = await signinFrom('127.0.0.2', `nobody-${i}@example.com`, `guess-${i}`);
    statuses.push(res.status);
    if (res.status === 429) expectRefused(res);
  }
  expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
  expect(statuses.slice(10)).toEqual([429, 429]);
  // Someone else behind the same address (a NAT, an office) still signs in with the right password.
  expect((await signinFrom('127.0.0.2', neighbour, 'password123')).status).toBe(200);
  expect((await signinFrom('127.0.0.2', neighbour, 'wrong-password')).status).toBe(429);
  // Another client is not held back by this one's failures.
  expect((await signinFrom('127.0.0.3', 'nobody-0@example.com', 'guess')).status).toBe(400);
  checked.signinLimit = statuses.indexOf(429);
});

it('refuses one account for a few seconds after repeated failures from many addresses, then lets its owner in', async () => {
  const email = uniqueEmail('victim');
  expect((await signupFrom('127.0.0.10', email)).status).toBe(201);
  const statuses: number[] = [];
  let refused: Answer | undefined;
  for (let i = 0; i < 6 && !refused; i++) {
    const res = await signinFrom(`127.0.0.${11 + i}`, email, `guess-${i}`);
    statuses.push(res.status);
    if (res.status === 429) refused = res;
  }
  expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  expectRefused(refused!);
  // Even the right password waits, but only briefly: a lockout must not lock the real user out for long.
  expect(Number(refused!.retryAfter)).toBeLessThanOrEqual(2);
  expect((await signinFrom('127.0.0.20', email, 'password123')).status).toBe(429);
  // Another account is not held back.
  expect((await signinFrom('127.0.0.20', 'nobody-else@example.com', 'guess')).status).toBe(400);
  await new Promise((resolve) => setTimeout(resolve, Number(refused!.retryAfter) * 1000));
  expect((await signinFrom('127.0.0.20', email, 'password123')).status).toBe(200);
  checked.accountLimit = statuses.indexOf(429);
});

it('rate-limits sign-ups per client with a clear 429, storing none past the limit', async () => {
  const before = await sut.databases.count('auth', 'users');
  const statuses: number[] = [];
  for (let i = 0; i < SIGNUP_LIMIT + 2; i++) {
    const res = await signupFrom('127.0.0.4', uniqueEmail(`flood${i}`));
    statuses.push(res.status);
    if (res.status === 429) expectRefused(res);
  }
  expect(statuses.slice(0, SIGNUP_LIMIT)).toEqual(Array(SIGNUP_LIMIT).fill(201));
  expect(statuses.slice(SIGNUP_LIMIT)).toEqual([429, 429]);
  expect(await sut.databases.count('auth', 'users')).toBe(before + SIGNUP_LIMIT);
  // Another client still signs up.
  expect((await signupFrom('127.0.0.5', uniqueEmail('neighbour'))).status).toBe(201);
  checked.signupLimit = statuses.indexOf(429);
});
