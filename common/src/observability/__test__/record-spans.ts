import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';

export interface RecordedSpans {
  /** Every span ended so far (the processor exports each one a tick after it ends). */
  finished(): Promise<ReadableSpan[]>;
  stop(): Promise<void>;
}

/**
 * Tracing as a service has it (context manager, W3C propagation), the spans kept in memory instead of exported.
 * Once per test file: the SDK registers itself globally, and a second one would not be used.
 */
export const recordSpans = (): RecordedSpans => {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const sdk = new NodeSDK({ serviceName: 'test', spanProcessors: [processor], logRecordProcessors: [] });
  sdk.start();
  return {
    finished: async () => {
      await processor.forceFlush();
      return exporter.getFinishedSpans();
    },
    stop: () => sdk.shutdown(),
  };
};
