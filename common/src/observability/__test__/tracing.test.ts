import { serviceNameOf } from '../service-name';
import { startTracing, tracingRequested } from '../tracing';

describe('tracingRequested', () => {
  it('is off when no OTEL_* variable asks for traces', () => {
    expect(tracingRequested({})).toBe(false);
  });

  it('is on with an OTLP endpoint or a traces exporter named', () => {
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://127.0.0.1:9411/api/v2/spans' })).toBe(
      true,
    );
  });

  it('is off when the exporter is none or the SDK disabled', () => {
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });
});

describe('startTracing', () => {
  it('starts nothing when the environment does not ask for traces', () => {
    expect(startTracing({})).toBe(false);
    expect(startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });
});

describe('serviceNameOf', () => {
  it('is OTEL_SERVICE_NAME, else the folder of the entry script package', () => {
    expect(serviceNameOf({ OTEL_SERVICE_NAME: 'orders-canary' }, '/app/orders/build/index.js')).toBe('orders-canary');
    expect(serviceNameOf({}, '/app/orders/build/index.js')).toBe('orders');
    expect(serviceNameOf({}, '/repo/payments/src/index.ts')).toBe('payments');
  });
});
