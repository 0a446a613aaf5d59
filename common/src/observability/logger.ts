import { AsyncLocalStorage } from 'async_hooks';
import pino, { DestinationStream, Logger } from 'pino';
import pretty from 'pino-pretty';
import { serviceNameOf } from './service-name';
import { activeSpanIds } from './trace-context';

export type { Logger } from 'pino';

const requestIds = new AsyncLocalStorage<string>();

/** Runs `work` with `requestId` in every log line it writes, however deep and however late (promises included). */
export const withRequestId = <T>(requestId: string, work: () => T): T => requestIds.run(requestId, work);

/** The ids a log line carries besides its own fields: the active span's trace and span, the request's id. */
const contextFields = () => {
  const requestId = requestIds.getStore();
  return { ...activeSpanIds(), ...(requestId ? { request_id: requestId } : {}) };
};

/** Synchronous, so a line logged just before an exit is not lost; no `service`: npm start prefixes each line with it. */
const prettyStream = (): DestinationStream => pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });

/**
 * One JSON object per line on stdout: time, level, service, msg, and the trace, span and request ids of the
 * work that wrote it; LOG_PRETTY=true makes it readable lines instead (npm start), LOG_LEVEL sets the level.
 */
export const createLogger = (env: NodeJS.ProcessEnv = process.env, destination?: DestinationStream): Logger =>
  pino(
    {
      base: { service: serviceNameOf(env) },
      level: env.LOG_LEVEL || 'info',
      mixin: contextFields,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? (env.LOG_PRETTY === 'true' ? prettyStream() : pino.destination({ sync: true })),
  );

/** The process's logger. */
export const logger = createLogger();
