import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { repoRoot } from './tools';

interface ContainerDoc {
  name?: string;
  image?: string;
  args?: unknown[];
  env?: { name?: string; value?: string | number | boolean }[];
}

interface DeploymentDoc {
  kind?: string;
  spec?: { template?: { spec?: { containers?: ContainerDoc[] } } };
}

/** The containers of the Deployments in a cluster manifest (`infra/k8s/<file>`). */
const deploymentContainers = (file: string): ContainerDoc[] => {
  const text = fs.readFileSync(path.join(repoRoot, 'infra/k8s', file), 'utf8');
  const docs = YAML.parseAllDocuments(text).map((doc) => doc.toJS() as DeploymentDoc);
  return docs.filter((doc) => doc?.kind === 'Deployment').flatMap((doc) => doc.spec?.template?.spec?.containers ?? []);
};

/**
 * The arguments a cluster manifest gives its Redis container (`infra/k8s/<file>`), so that a test runs
 * redis-server with the very configuration the cluster does (memory cap, eviction policy, persistence).
 */
export const redisArgsOf = (file: string): string[] => {
  const redis = deploymentContainers(file).find((container) => (container.image ?? '').startsWith('redis:'));
  if (!redis?.args) throw new Error(`${file} holds no Redis container with args`);
  return redis.args.map(String);
};

/** The value after `flag` in redis-server's arguments. */
export const redisArg = (args: string[], flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};

/**
 * The literal value a cluster manifest gives environment variable `name` in its container `container`, so that
 * a local process runs as the pod does; undefined when the manifest sets none.
 */
export const containerEnvValue = (file: string, container: string, name: string): string | undefined => {
  const found = deploymentContainers(file).find((doc) => doc.name === container);
  if (!found) throw new Error(`${file} holds no container named ${container}`);
  const value = found.env?.find((entry) => entry.name === name)?.value;
  return value === undefined ? undefined : String(value);
};
