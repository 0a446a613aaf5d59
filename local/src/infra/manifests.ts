import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { repoRoot } from './tools';

interface ContainerDoc {
  image?: string;
  args?: unknown[];
}

interface DeploymentDoc {
  kind?: string;
  spec?: { template?: { spec?: { containers?: ContainerDoc[] } } };
}

/**
 * The arguments a cluster manifest gives its Redis container (`infra/k8s/<file>`), so that a test runs
 * redis-server with the very configuration the cluster does (memory cap, eviction policy, persistence).
 */
export const redisArgsOf = (file: string): string[] => {
  const text = fs.readFileSync(path.join(repoRoot, 'infra/k8s', file), 'utf8');
  const docs = YAML.parseAllDocuments(text).map((doc) => doc.toJS() as DeploymentDoc);
  const containers = docs.filter((doc) => doc?.kind === 'Deployment').flatMap((doc) => doc.spec?.template?.spec?.containers ?? []);
  const redis = containers.find((container) => (container.image ?? '').startsWith('redis:'));
  if (!redis?.args) throw new Error(`${file} holds no Redis container with args`);
  return redis.args.map(String);
};

/** The value after `flag` in redis-server's arguments. */
export const redisArg = (args: string[], flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
