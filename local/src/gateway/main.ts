import { handleProcessFailures } from '@ticketing/common';
import { startGateway } from './gateway';
import { readIngressRoutes } from './ingress-routes';

/**
 * The gateway as a process of its own, supervised by the local system like a service, so that its failure
 * ends no service: the Ingress's routes to GATEWAY_UPSTREAMS (JSON, service → replica URLs) on GATEWAY_PORT.
 */
const main = async () => {
  handleProcessFailures('gateway');
  const port = Number(process.env.GATEWAY_PORT);
  const upstreams = JSON.parse(process.env.GATEWAY_UPSTREAMS ?? '{}') as Record<string, string[]>;
  await startGateway({ port, routes: readIngressRoutes(), upstreams });
  console.log(`[gateway] listening on 127.0.0.1:${port}`);
};

main().catch((err: unknown) => {
  console.error('[gateway] failed to start:', err);
  process.exit(1);
});
