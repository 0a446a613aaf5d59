import cluster from 'cluster';
import { handleProcessFailures } from '@ticketing/common';
import { startGateway } from './gateway';
import { readIngressRoutes } from './ingress-routes';

/** GATEWAY_PROCESSES: processes sharing the port (1 when absent); each proxied socket costs one of them two open files. */
const processCount = () => {
  const count = Number(process.env.GATEWAY_PROCESSES ?? '1');
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`GATEWAY_PROCESSES must be a whole number of at least 1, got "${process.env.GATEWAY_PROCESSES}"`);
  return count;
};

const serve = async () => {
  const port = Number(process.env.GATEWAY_PORT);
  const upstreams = JSON.parse(process.env.GATEWAY_UPSTREAMS ?? '{}') as Record<string, string[]>;
  await startGateway({ port, routes: readIngressRoutes(), upstreams });
  return port;
};

/** The primary only hands connections to its workers (node's cluster, round-robin) and restarts one that dies. */
const superviseWorkers = (count: number) => {
  let stopping = false;
  for (let i = 0; i < count; i += 1) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`[gateway] worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  process.once('SIGTERM', () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  });
};

/**
 * The gateway as a process of its own, supervised by the local system like a service, so that its failure
 * ends no service: the Ingress's routes to GATEWAY_UPSTREAMS (JSON, service → replica URLs) on GATEWAY_PORT,
 * served by GATEWAY_PROCESSES processes sharing the port.
 */
const main = async () => {
  handleProcessFailures('gateway');
  const count = processCount();
  if (count > 1 && cluster.isPrimary) return superviseWorkers(count);
  const port = await serve();
  console.log(`[gateway] listening on 127.0.0.1:${port}${cluster.isWorker ? ` (worker ${process.pid})` : ''}`);
};

main().catch((err: unknown) => {
  console.error('[gateway] failed to start:', err);
  process.exit(1);
});
