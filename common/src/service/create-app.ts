import cookieSession from 'cookie-session';
import express, { RequestHandler, Router } from 'express';
import helmet from 'helmet';
import { parkedMessageCount } from '../bus/dead-letters';
import { failingMessages } from '../bus/failing-messages';
import { NotFoundError } from '../errors/not-found-error';
import { currentUser } from '../middlewares/current-user';
import { errorHandler } from '../middlewares/error-handler';
import { httpRequestDuration } from '../observability/metrics';
import { requestContext } from '../middlewares/request-context';
import { trustProxyFromEnv } from './env';
import { unhandledRejectionCount } from './process-failures';

export interface AppOptions {
  /** Largest JSON body accepted; larger ones get a 413. */
  bodyLimit?: string;
  /** Readiness for GET /healthz (the readiness probe): the backing services are connected. */
  isReady?: () => boolean;
  /** Counts of this service's own that GET /healthz shows besides `deadLetters`, for a monitor to alert on. */
  counts?: () => Record<string, number>;
}

/** The pattern of the last route, which answers 404 to whatever no router took. */
const ANY_PATH = '/{*path}';

/** Times every request by its route pattern (never its path, whose ids would make a series each). */
const recordRequestMetrics: RequestHandler = (req, res, next) => {
  const end = httpRequestDuration.startTimer();
  res.once('finish', () => {
    const route: { path: string } | undefined = req.route as { path: string } | undefined;
    const pattern = route ? `${req.baseUrl}${route.path}` : ANY_PATH;
    end({ method: req.method, route: pattern === ANY_PATH ? 'unmatched' : pattern, status: res.statusCode });
  });
  next();
};

/**
 * The Express app every service shares: JSON bodies, the session cookie, the
 * current user, the service's routers, then 404 and the one error handler.
 */
export const createApp = (routers: Router[], { bodyLimit = '16kb', isReady = () => true, counts = () => ({}) }: AppOptions = {}) => {
  const app = express();
  app.disable('x-powered-by');
  // The proxies whose X-Forwarded-For entries name the client (docs/configuration.md: TRUST_PROXY); a client cannot spoof past them.
  app.set('trust proxy', trustProxyFromEnv());
  app.use(recordRequestMetrics);
  app.use(requestContext);
  app.use(helmet());
  app.use(express.json({ limit: bodyLimit }));
  app.use(
    cookieSession({
      signed: false,
      httpOnly: true,
      sameSite: 'lax',
      // The cluster serves HTTPS; local runs and tests are plain HTTP.
      secure: process.env.NODE_ENV === 'production',
    }),
  );
  app.use(currentUser);
  // Messages being retried make the pod "degraded", not unready: its requests may well be served, and a
  // failing dependency that matters to them already makes isReady false.
  app.get('/healthz', (_req, res) => {
    const ready = isReady();
    const failing = failingMessages();
    const status = !ready ? 'starting' : Object.keys(failing).length > 0 ? 'degraded' : 'ok';
    const failures = { deadLetters: parkedMessageCount(), unhandledRejections: unhandledRejectionCount(), failing };
    res.status(ready ? 200 : 503).send({ status, ...failures, ...counts() });
  });
  // Liveness asks only whether this process still answers. A database or Redis outage must take the pod out of
  // the Service (readiness), not restart it: a restart would cut every in-flight request, payments included.
  app.get('/livez', (_req, res) => {
    res.send({ status: 'alive' });
  });
  for (const router of routers) app.use(router);
  app.all(ANY_PATH, () => {
    throw new NotFoundError();
  });
  app.use(errorHandler);
  return app;
};
