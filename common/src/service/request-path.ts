import type { IncomingMessage } from 'http';

/**
 * The path of a request's target, or undefined when the target does not parse (`//[`, `http://[::1`):
 * `new URL` throws for those, and a throw in a server's callback would end the process.
 */
export const requestPath = (req: Pick<IncomingMessage, 'url'>): string | undefined => {
  try {
    return new URL(req.url ?? '/', 'http://request.invalid').pathname;
  } catch {
    return undefined;
  }
};
