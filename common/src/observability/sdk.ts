import type { IncomingMessage } from 'http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';

/** Probes ask every few seconds and say nothing about an order. */
const PROBE_PATHS = new Set(['/healthz', '/livez', '/metrics']);

const isProbe = (request: IncomingMessage) => PROBE_PATHS.has((request.url ?? '').split('?')[0]);

/**
 * The OpenTelemetry Node SDK with the instrumentations of the libraries the services use; the exporter,
 * sampler and propagators come from the standard OTEL_* variables. Database and Redis calls are traced
 * only inside a span: bull's and the sweeps' polling would otherwise be a root trace every few seconds.
 */
export const createSdk = (serviceName: string): NodeSDK =>
  new NodeSDK({
    serviceName,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: isProbe }),
      // A span per middleware (helmet, the body parser, the cookie) on every request is noise: routers and handlers only.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new MongoDBInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
    // Logs go to stdout as JSON lines (logger.ts), not through OTLP.
    logRecordProcessors: [],
  });
