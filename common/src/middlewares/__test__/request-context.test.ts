import express from 'express';
import request from 'supertest';
import { createApp } from '../../service/create-app';

const app = createApp([express.Router().get('/api/echo', (_req, res) => void res.send({}))]);

describe('request context', () => {
  it('keeps the X-Request-Id a proxy sent and sends it back', async () => {
    const res = await request(app).get('/api/echo').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('names a request that came without one, or with one that is not an id, with a new UUID', async () => {
    const without = await request(app).get('/api/echo');
    const malformed = await request(app).get('/api/echo').set('X-Request-Id', 'has spaces; and more');
    for (const res of [without, malformed]) expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(without.headers['x-request-id']).not.toBe(malformed.headers['x-request-id']);
  });
});
