import path from 'path';

/**
 * The name this process reports in its traces and log lines: OTEL_SERVICE_NAME, else the folder of the
 * entry script's package (`orders` for orders/build/index.js or orders/src/index.ts).
 */
export const serviceNameOf = (env: NodeJS.ProcessEnv = process.env, entry: string | undefined = process.argv[1]): string =>
  env.OTEL_SERVICE_NAME || (entry ? path.basename(path.dirname(path.dirname(entry))) : 'unknown_service');
