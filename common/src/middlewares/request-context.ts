import { AsyncResource } from 'async_hooks';
import crypto from 'crypto';
import type { NextFunction, Request, Response } from 'express';
import { logger, withRequestId } from '../observability/logger';
import { requestPath } from '../service/request-path';

/** What an upstream proxy's X-Request-Id may look like to be kept: ingress-nginx's hex, a UUID. */
const WELL_FORMED = /^[\w.-]{1,128}$/;

/**
 * Names each request: the X-Request-Id the gateway or ingress sent, else a new UUID. It is sent back in the
 * response's X-Request-Id, and every log line written while the request is handled carries it (`request_id`),
 * as the request's own line does: one at debug level once the response is sent (LOG_LEVEL=debug shows them).
 */
export const requestContext = (req: Request, res: Response, next: NextFunction): void => {
  const given = req.get('x-request-id');
  const id = given && WELL_FORMED.test(given) ? given : crypto.randomUUID();
  res.set('X-Request-Id', id);
  const startedAt = process.hrtime.bigint();
  withRequestId(id, () => {
    // Bound to the request's context: 'finish' is emitted from the socket's, which has neither its id nor its span.
    const logCompletion = AsyncResource.bind(() => {
      const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
      logger.debug({ method: req.method, path: requestPath(req), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    res.once('finish', logCompletion);
    next();
  });
};
