import { startTracing } from './tracing';

// Imported first by @ticketing/common's index, so that tracing starts before any instrumented library loads.
startTracing();
