import type { NodeSDK } from '@opentelemetry/sdk-node';
import { serviceNameOf } from './service-name';

/** Whether the standard OTEL_* variables ask for traces: an OTLP endpoint or an exporter named, and the SDK not disabled. */
export const tracingRequested = (env: NodeJS.ProcessEnv = process.env): boolean => {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (exporters.includes('none')) return false;
  return exporters.length > 0 || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
};

let sdk: NodeSDK | undefined;

/**
 * Starts tracing when the environment asks for it. It must run before express, the MongoDB driver and
 * ioredis are first required, for their instrumentations hook `require`: @ticketing/common's index does it first.
 * Without OTEL_* variables nothing is loaded and every span the code starts is a no-op.
 */
export const startTracing = (env: NodeJS.ProcessEnv = process.env): boolean => {
  if (sdk || !tracingRequested(env)) return false;
  // Required only when asked for: the SDK and its exporters cost a process without tracing nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createSdk } = require('./sdk') as typeof import('./sdk');
  sdk = createSdk(serviceNameOf(env));
  sdk.start();
  return true;
};

/** Sends the spans still buffered and stops tracing: the last step of a shutdown. */
export const stopTracing = async (): Promise<void> => {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
};
