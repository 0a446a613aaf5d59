import http from 'http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';

/** One registry a process: what `GET /metrics` on the metrics port answers. */
export const metricsRegistry = register;

// Seconds, from a fast route's few milliseconds to a charge's timeout.
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests answered, by method, route pattern and status, with their duration',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: latencyBuckets,
});

export const eventsHandled = new Counter({
  name: 'events_handled_total',
  help: 'Event deliveries a listener finished: handled (acked), failed (left for redelivery) or parked (dead letter)',
  labelNames: ['subject', 'queue_group', 'outcome'] as const,
});

export const eventsRedelivered = new Counter({
  name: 'events_redelivered_total',
  help: 'Deliveries of an event that this queue group had been given before',
  labelNames: ['subject', 'queue_group'] as const,
});

export const eventHandlingDuration = new Histogram({
  name: 'event_handling_seconds',
  help: "Time a listener's handler took, by subject and queue group",
  labelNames: ['subject', 'queue_group'] as const,
  buckets: latencyBuckets,
});

export const jobDuration = new Histogram({
  name: 'job_duration_seconds',
  help: 'Time a queued job (an expiry, a charge) took to run, by queue and outcome',
  labelNames: ['queue', 'outcome'] as const,
  buckets: latencyBuckets,
});

export const jobLateness = new Histogram({
  name: 'job_lateness_seconds',
  help: 'Time from when a job was due (created, plus its delay) to when it started',
  labelNames: ['queue'] as const,
  buckets: latencyBuckets,
});

/** A gauge read when scraped: `collect` sets its values from the source of truth, so nothing has to keep it current. */
export const scrapedGauge = <L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: (gauge: Gauge<L>) => Promise<void> | void,
): Gauge<L> =>
  new Gauge({
    name,
    help,
    labelNames,
    async collect() {
      this.reset();
      await collect(this);
    },
  });

/** Node's runtime (event-loop delay, heap, GC, handles) and every metric labelled with the service's name. */
export const collectRuntimeMetrics = (service: string): void => {
  register.setDefaultLabels({ service });
  if (!runtimeCollected) collectDefaultMetrics();
  runtimeCollected = true;
};
let runtimeCollected = false;

/** Serves `GET /metrics` on a port of its own, which the ingress does not route. */
export const startMetricsServer = (port: number, host: string): Promise<http.Server> =>
  new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      register
        .metrics()
        .then((body) => res.writeHead(200, { 'Content-Type': register.contentType }).end(body))
        .catch((err: Error) => res.writeHead(500).end(err.message));
    });
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
