import { inspect } from 'util';
import { logger } from '../observability/logger';

let unhandledRejections = 0;

/** Rejections no code handled since this process started (GET /healthz shows it). */
export const unhandledRejectionCount = (): number => unhandledRejections;

export interface FailureHandling {
  /** Where the failures are emitted: the process, or a stand-in in tests. */
  events?: Pick<NodeJS.EventEmitter, 'on'>;
  exit?: (code: number) => void;
  log?: (line: string) => void;
}

/**
 * What a process does when code fails outside any handler (docs/design.md, "When a process fails"): an
 * uncaught exception is logged and ends the process with exit code 1, for its supervisor to start a clean one;
 * an unhandled rejection is logged and counted, and the process goes on serving.
 */
export const handleProcessFailures = (
  name: string,
  { events = process, exit = (code) => process.exit(code), log = (line) => logger.error(line) }: FailureHandling = {},
): void => {
  events.on('uncaughtException', (err: unknown) => {
    log(`[${name}] uncaught exception, exiting for a clean restart: ${inspect(err)}`);
    exit(1);
  });
  events.on('unhandledRejection', (reason: unknown) => {
    unhandledRejections += 1;
    log(`[${name}] unhandled rejection (${unhandledRejections} so far), still serving: ${inspect(reason)}`);
  });
};
