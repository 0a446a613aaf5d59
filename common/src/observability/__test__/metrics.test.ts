import { Router } from 'express';
import request from 'supertest';
import { Listener } from '../../bus/listener';
import { InvalidMessageError } from '../../errors/invalid-message-error';
import type { TicketCreatedEvent } from '../../events/events';
import { Subjects } from '../../events/subjects';
import { createApp } from '../../service/create-app';
import { RecordingBus } from '../../testing/recording-bus';
import { metricsRegistry, startMetricsServer } from '../metrics';

/** The value of one series in the text Prometheus scrapes (0 when absent). */
const valueOf = async (name: string, labels: Record<string, string>): Promise<number> => {
  for (const line of (await metricsRegistry.metrics()).split('\n')) {
    const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const seen = Object.fromEntries([...match[2].matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, wanted]) => seen[key] === wanted)) return Number(match[3]);
  }
  return 0;
};

class TicketCreatedProbe extends Listener<TicketCreatedEvent> {
  readonly subject = Subjects.TicketCreated;
  verdict: 'ok' | 'invalid' | 'down' = 'ok';

  onMessage(): Promise<void> {
    if (this.verdict === 'invalid') return Promise.reject(new InvalidMessageError('not a listing'));
    if (this.verdict === 'down') return Promise.reject(new Error('database unreachable'));
    return Promise.resolve();
  }
}

const listing = { id: 'a1', version: 0, title: 'Gig', price: 10, quantity: 1, userId: 'u1' } as unknown as TicketCreatedEvent['data'];

describe('metrics', () => {
  it('counts requests by route pattern, never by path', async () => {
    const app = createApp([Router().get('/api/things/:id', (_req, res) => void res.send({}))]);
    await request(app).get('/api/things/1').expect(200);
    await request(app).get('/api/things/2').expect(200);
    await request(app).get('/api/nothing/here').expect(404);

    const route = { method: 'GET', route: '/api/things/:id', status: '200' };
    expect(await valueOf('http_request_duration_seconds_count', route)).toBe(2);
    expect(await valueOf('http_request_duration_seconds_count', { route: 'unmatched', status: '404' })).toBe(1);
  });

  it('counts each delivery by outcome, redeliveries and handling time, per subject and queue group', async () => {
    const bus = new RecordingBus();
    const probe = new TicketCreatedProbe(bus);
    const subscription = probe.listen('probe-service', { maxDeliveries: 2 });
    const labels = { subject: Subjects.TicketCreated, queue_group: 'probe-service' };

    await bus.deliver(Subjects.TicketCreated, listing);
    probe.verdict = 'down';
    await bus.deliver(Subjects.TicketCreated, listing, { sequence: 100 });
    probe.verdict = 'invalid';
    await bus.deliver(Subjects.TicketCreated, listing, { sequence: 200 });
    await bus.deliver(Subjects.TicketCreated, listing, { sequence: 200, deliveries: 2 });
    await subscription.close();

    expect(await valueOf('events_handled_total', { ...labels, outcome: 'handled' })).toBe(1);
    expect(await valueOf('events_handled_total', { ...labels, outcome: 'failed' })).toBe(2);
    expect(await valueOf('events_handled_total', { ...labels, outcome: 'parked' })).toBe(1);
    expect(await valueOf('events_redelivered_total', labels)).toBe(1);
    expect(await valueOf('event_handling_seconds_count', labels)).toBe(4);
  });

  it('serves the registry on a port of its own, in the Prometheus text format', async () => {
    const server = await startMetricsServer(0, '127.0.0.1');
    const { port } = server.address() as { port: number };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(await res.text()).toContain('# TYPE events_handled_total counter');
      expect((await fetch(`http://127.0.0.1:${port}/api/tickets`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
