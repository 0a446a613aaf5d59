import express from 'express';
import request from 'supertest';
import { BadRequestError, createApp, logger, NotAuthorizedError, objectIdParam, requireAuth } from '../..';
import { signinCookie } from '../../testing';

const router = express.Router();
router.get('/boom', () => {
  throw new Error('secret internals at /srv/app.js:12');
});
router.get('/async-boom', async () => {
  await Promise.resolve();
  throw new TypeError('async internals');
});
router.get('/bad', () => {
  throw new BadRequestError('Title is required', 'title');
});
router.get('/denied', () => {
  throw new NotAuthorizedError();
});
router.get('/private', requireAuth, (req: express.Request, res: express.Response) => {
  res.send({ id: req.currentUser!.id });
});
router.get('/things/:id', objectIdParam(), (req: express.Request, res: express.Response) => {
  res.send({ id: req.params.id });
});

const app = createApp([router]);

beforeAll(() => jest.spyOn(logger, 'error').mockImplementation(() => {}));

it('answers an unexpected error with a bare 500, never the message or stack', async () => {
  for (const path of ['/boom', '/async-boom']) {
    const res = await request(app).get(path).expect(500);
    expect(res.body).toEqual({ errors: [{ message: 'Something went wrong' }] });
    expect(res.text).not.toMatch(/internals|at \//);
  }
});

it('serializes typed errors to the one shape', async () => {
  expect((await request(app).get('/bad').expect(400)).body).toEqual({ errors: [{ message: 'Title is required', field: 'title' }] });
  expect((await request(app).get('/denied').expect(401)).body).toEqual({ errors: [{ message: 'Not authorized' }] });
});

it('requireAuth lets a signed-in user through and turns others away with 401', async () => {
  await request(app).get('/private').expect(401);
  const res = await request(app)
    .get('/private')
    .set('Cookie', signinCookie({ id: 'user-1' }))
    .expect(200);
  expect(res.body).toEqual({ id: 'user-1' });
});

it('answers an id that is not an ObjectId with 404, not 500', async () => {
  await request(app).get('/things/not-an-id').expect(404);
  // Hexadecimal to a validator (its 0x prefix), 24 characters long, but not an ObjectId.
  await request(app).get('/things/0x7f1f77bcf86cd799439011').expect(404);
  await request(app).get('/things/507f1f77bcf86cd799439011').expect(200);
});

it('answers a URL whose percent-escapes do not decode with 400 in the one shape, not 500', async () => {
  const log = jest.mocked(logger.error);
  log.mockClear();
  for (const path of ['/things/%E0', '/anything%E0', '/things/%']) {
    const res = await request(app).get(path).expect(400);
    expect(res.body).toEqual({ errors: [{ message: 'Malformed URL' }] });
  }
  expect(log).not.toHaveBeenCalled();
});

it.each([
  ['request.aborted', 400, 'Request aborted'],
  ['request.size.invalid', 400, 'Request size did not match Content-Length'],
  ['some.future.type', 415, 'Unsupported Media Type'],
])('keeps the 4xx status of a library error (%s) and answers in the one shape', async (type, status, message) => {
  const failing = express.Router();
  failing.get('/library-error', () => {
    throw Object.assign(new Error('internal wording'), { type, status, expose: true });
  });
  const res = await request(createApp([failing]))
    .get('/library-error')
    .expect(status);
  expect(res.body).toEqual({ errors: [{ message }] });
});

it('answers a library error with a 5xx status as an unexpected error', async () => {
  const failing = express.Router();
  failing.get('/library-error', () => {
    throw Object.assign(new Error('internal wording'), { status: 503 });
  });
  const res = await request(createApp([failing]))
    .get('/library-error')
    .expect(500);
  expect(res.body).toEqual({ errors: [{ message: 'Something went wrong' }] });
});

it('does not announce the framework', async () => {
  const res = await request(app).get('/bad');
  expect(res.get('X-Powered-By')).toBeUndefined();
});
