import { artifactFolder } from './artifacts';
import type { HealthEndpoints } from './health';
import type { BuildContext } from './image-build';
import { Cluster, containersOf, describeWorkload } from './kube';
import { transportEnv } from './event-bus';
import { missingEnvProblems, readServiceRequirements, requiredEnv, ServiceRequirements } from './service-env';
import type { SkaffoldConfig } from './skaffold';

/** Besides what runService demands: production mode, which makes the session cookie Secure behind the HTTPS ingress. */
export const clusterEnv = ['NODE_ENV'];

/** The artifacts that are backend services: their workspace depends on @ticketing/common and starts with runService. */
export const serviceArtifacts = (config: SkaffoldConfig, context: BuildContext) =>
  config.build.artifacts.filter((artifact) => {
    const manifest = context.read(`${artifactFolder(artifact)}/package.json`);
    const dependencies = manifest ? (JSON.parse(manifest) as { dependencies?: Record<string, string> }).dependencies : undefined;
    return dependencies?.['@ticketing/common'] !== undefined;
  });

/**
 * Every variable a service's index.ts requires (its runService call: env, plus
 * MONGO_URI with mongo, plus its transport's NATS_URL (and NATS_CLUSTER_ID) unless eventBus: false)
 * is provided to each container that runs the service's image.
 */
export const serviceEnvProblems = (config: SkaffoldConfig, cluster: Cluster, context: BuildContext): string[] =>
  serviceArtifacts(config, context).flatMap((artifact) => {
    const entry = `${artifactFolder(artifact)}/src/index.ts`;
    const source = context.read(entry);
    if (source === undefined) return [`${artifact.image}: no ${entry} to read its required environment from`];
    let requirements: ServiceRequirements;
    try {
      requirements = readServiceRequirements(entry, source);
    } catch (err) {
      return [(err as Error).message];
    }
    // The event bus's variables depend on the transport each container's EVENT_BUS picks.
    const required = [...requiredEnv({ ...requirements, eventBus: false }), ...clusterEnv];
    return cluster.workloads.flatMap((deployment) =>
      containersOf(deployment)
        .filter((container) => container.image === artifact.image)
        .flatMap((container) =>
          missingEnvProblems(container, cluster, [...required, ...(requirements.eventBus ? transportEnv(container, cluster) : [])]).map(
            (problem) => `${describeWorkload(deployment)} (${entry}): ${problem}`,
          ),
        ),
    );
  });

/** The port runService listens on without PORT, as common/src/service/run-service.ts sets it. */
export const defaultListenPort = (runServiceSource: string): number => {
  const match = /process\.env\.PORT\s*\?\?\s*(\d+)/.exec(runServiceSource);
  if (!match) throw new Error('run-service.ts no longer reads `process.env.PORT ?? <default>`');
  return Number(match[1]);
};

/**
 * Each service container declares the port the service listens on (PORT, else
 * runService's default) and probes it there: readiness at the endpoint that
 * checks the backing services, liveness (and start-up, which stands in for
 * liveness until it first succeeds) at the one that does not, so an outage of
 * Mongo or Redis takes pods out of the Service instead of restarting them.
 */
export const serviceProbeProblems = (
  config: SkaffoldConfig,
  cluster: Cluster,
  context: BuildContext,
  defaultPort: number,
  endpoints: HealthEndpoints = { readiness: '/healthz', liveness: '/livez' },
): string[] => {
  const images = new Set(serviceArtifacts(config, context).map((artifact) => artifact.image));
  const expected = { readinessProbe: endpoints.readiness, livenessProbe: endpoints.liveness, startupProbe: endpoints.liveness };
  return cluster.workloads.flatMap((deployment) =>
    containersOf(deployment)
      .filter((container) => images.has(container.image ?? ''))
      .flatMap((container) => {
        const label = `${describeWorkload(deployment)} container ${container.name}`;
        const setPort = container.env?.find((variable) => variable.name === 'PORT')?.value;
        const listens = setPort === undefined ? defaultPort : Number(setPort);
        const declared = (container.ports ?? []).find((port) => port.containerPort === listens);
        if (!declared) return [`${label}: the service listens on ${listens}, which the container does not declare`];
        return (['readinessProbe', 'livenessProbe', 'startupProbe'] as const).flatMap((kind) => {
          const probe = container[kind];
          if (!probe && kind === 'startupProbe') return [];
          const check = probe?.httpGet;
          const onPort = check?.port === listens || (declared.name !== undefined && check?.port === declared.name);
          if (check?.path === expected[kind] && onPort) return [];
          const problem = `${label}: ${kind} is not GET ${expected[kind]} on port ${listens}`;
          return kind !== 'readinessProbe' && check?.path === endpoints.readiness
            ? [`${problem}; ${endpoints.readiness} fails while the database is down, so an outage would restart the pod`]
            : [problem];
        });
      }),
  );
};

interface PackageManifest {
  name?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readPackage = (context: BuildContext, folder: string): PackageManifest | undefined => {
  const text = context.read(`${folder}/package.json`);
  return text === undefined ? undefined : (JSON.parse(text) as PackageManifest);
};

/**
 * An image installs only its own workspace's production dependencies, so the
 * peer dependencies of the workspace packages it uses (mongoose for
 * @ticketing/common) must be among them: the monorepo's hoisted node_modules
 * hides a missing one everywhere except in the image.
 */
export const workspacePeerProblems = (config: SkaffoldConfig, context: BuildContext): string[] => {
  const workspaces = ((JSON.parse(context.read('package.json') ?? '{}') as { workspaces?: string[] }).workspaces ?? [])
    .map((folder) => readPackage(context, folder))
    .filter((manifest): manifest is PackageManifest => manifest?.name !== undefined);
  return config.build.artifacts.flatMap((artifact) => {
    const folder = artifactFolder(artifact);
    const own = readPackage(context, folder)?.dependencies ?? {};
    return workspaces
      .filter((workspace) => workspace.name !== undefined && own[workspace.name] !== undefined)
      .flatMap((workspace) =>
        Object.keys(workspace.peerDependencies ?? {})
          .filter((peer) => own[peer] === undefined)
          .map((peer) => `${folder}/package.json: depends on ${workspace.name ?? ''}, whose peer dependency ${peer} it does not list`),
      );
  });
};
