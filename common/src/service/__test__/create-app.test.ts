import request from 'supertest';
import { createApp } from '../create-app';

describe('the health endpoints', () => {
  it('answers readiness from isReady: 200 when the backing services are connected, 503 otherwise', async () => {
    let ready = true;
    const app = createApp([], { isReady: () => ready });
    await request(app).get('/healthz').expect(200, { status: 'ok', deadLetters: 0, failing: {} });
    ready = false;
    await request(app).get('/healthz').expect(503, { status: 'starting', deadLetters: 0, failing: {} });
  });

  it('answers liveness without asking isReady, so a database outage never restarts the pod', async () => {
    const isReady = jest.fn(() => false);
    const app = createApp([], { isReady });
    await request(app).get('/livez').expect(200, { status: 'alive' });
    expect(isReady).not.toHaveBeenCalled();
  });
});
