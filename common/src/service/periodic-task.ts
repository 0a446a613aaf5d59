import type { Connection, Model } from 'mongoose';
import { logger } from '../observability/logger';

export interface PeriodicTaskOptions<R> {
  intervalMs: number;
  /** One pass of the work. */
  pass: () => Promise<R>;
  /** Reports a pass that threw and gives what it resolves to instead: the task carries on at the next interval. */
  failed: (err: Error) => R;
}

/**
 * Runs a pass every `intervalMs`, never two at once: a pass asked for while one runs gets the running one.
 * Its timer does not hold the process open; stop() ends the timer and waits for the pass in progress.
 */
export class PeriodicTask<R = void> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<R>;

  constructor(private readonly options: PeriodicTaskOptions<R>) {}

  /** Starts the timer; `runNow` also starts a pass at once instead of after the first interval. */
  start({ runNow = false }: { runNow?: boolean } = {}): void {
    if (runNow) void this.run();
    this.timer ??= setInterval(() => void this.run(), this.options.intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** A pass, unless one is running: resolves to its result once it is done. */
  run(): Promise<R> {
    this.running ??= this.options
      .pass()
      .catch((err: Error) => this.options.failed(err))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}

/** `model` on `connection`, when a background task is given a connection of its own to keep its scans off the request path. */
export const modelOn = <T>(connection: Connection | undefined, model: Model<T>): Model<T> =>
  connection?.model<T>(model.modelName, model.schema, model.collection.collectionName) ?? model;

/** A `failed` that logs "`what` failed" with the error and resolves the pass to `result`. */
export const logFailedPass =
  <R>(what: string, result: R) =>
  (err: Error): R => {
    logger.error(`${what} failed: ${err.message}`);
    return result;
  };
