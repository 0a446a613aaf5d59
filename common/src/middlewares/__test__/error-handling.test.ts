import express from 'express';
import request from 'supertest';
import { BadRequestError, createApp, NotAuthorizedError, objectIdParam, requireAuth } from '../..';
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

beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => {}));

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
  const res = await request(app).get('/private').set('Cookie', signinCookie({ id: 'user-1' })).expect(200);
  expect(res.body).toEqual({ id: 'user-1' });
});

it('answers an id that is not an ObjectId with 404, not 500', async () => {
  await request(app).get('/things/not-an-id').expect(404);
  await request(app).get('/things/507f1f77bcf86cd799439011').expect(200);
});

it('does not announce the framework', async () => {
  const res = await request(app).get('/bad');
  expect(res.get('X-Powered-By')).toBeUndefined();
});
