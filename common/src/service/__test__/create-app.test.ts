import { Router } from 'express';
import request from 'supertest';
import { EventEmitter } from 'events';
import { createApp } from '../create-app';
import { trustProxyFromEnv } from '../env';
import { handleProcessFailures } from '../process-failures';

describe('the health endpoints', () => {
  it('answers readiness from isReady: 200 when the backing services are connected, 503 otherwise', async () => {
    let ready = true;
    const app = createApp([], { isReady: () => ready });
    await request(app).get('/healthz').expect(200, { status: 'ok', deadLetters: 0, unhandledRejections: 0, failing: {} });
    ready = false;
    await request(app).get('/healthz').expect(503, { status: 'starting', deadLetters: 0, unhandledRejections: 0, failing: {} });
  });

  it('answers liveness without asking isReady, so a database outage never restarts the pod', async () => {
    const isReady = jest.fn(() => false);
    const app = createApp([], { isReady });
    await request(app).get('/livez').expect(200, { status: 'alive' });
    expect(isReady).not.toHaveBeenCalled();
  });

  it('counts the unhandled rejections in readiness, for an alert to watch', async () => {
    const events = new EventEmitter();
    handleProcessFailures('probe', { events, exit: () => {}, log: () => {} });
    const app = createApp([]);
    events.emit('unhandledRejection', new Error('nobody caught this'), Promise.resolve());
    await request(app).get('/healthz').expect(200, { status: 'ok', deadLetters: 0, unhandledRejections: 1, failing: {} });
  });
});

describe('the client address (req.ip), behind the proxies TRUST_PROXY names', () => {
  const clientAddress = Router().get('/api/test/ip', (req, res) => {
    res.send({ ip: req.ip });
  });
  const addressSeen = async (trustProxy: string | undefined, forwardedFor: string) => {
    const saved = process.env.TRUST_PROXY;
    if (trustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = trustProxy;
    try {
      const app = createApp([clientAddress]);
      const response = await request(app).get('/api/test/ip').set('X-Forwarded-For', forwardedFor).expect(200);
      return (response.body as { ip: string }).ip;
    } finally {
      if (saved === undefined) delete process.env.TRUST_PROXY;
      else process.env.TRUST_PROXY = saved;
    }
  };

  it('is the entry the one proxy (ingress-nginx, the local gateway) appended, by default: a spoofed one is ignored', async () => {
    expect(await addressSeen(undefined, '6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the entry before the cloud load balancer with TRUST_PROXY=2 (load balancer, then ingress-nginx)', async () => {
    expect(await addressSeen('2', '6.6.6.6, 203.0.113.7, 10.0.0.5')).toBe('203.0.113.7');
  });

  it('is the first entry from outside the trusted addresses when TRUST_PROXY lists them', async () => {
    expect(await addressSeen('loopback, 10.0.0.0/8', '6.6.6.6, 203.0.113.7, 10.1.2.3, 10.0.0.5')).toBe('203.0.113.7');
  });

  it('refuses TRUST_PROXY=true, which would let any client name its own address', () => {
    expect(() => trustProxyFromEnv({ TRUST_PROXY: 'true' })).toThrow('TRUST_PROXY must be a hop count');
    expect(trustProxyFromEnv({ TRUST_PROXY: '2' })).toBe(2);
  });
});
