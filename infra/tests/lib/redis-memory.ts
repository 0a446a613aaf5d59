import { Cluster, containersOf, describeWorkload } from './kube';

/** Redis's `--maxmemory` spellings (100mb, 1gb, bytes) and Kubernetes' quantities (128Mi, 1Gi, 100M), in bytes. */
const BYTES: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
};

export const toBytes = (value: string): number | undefined => {
  const match = /^(\d+)([a-z]*)$/i.exec(value.trim());
  const unit = match && BYTES[match[2].toLowerCase()];
  return match && unit ? Number(match[1]) * unit : undefined;
};

const argAfter = (args: string[], flag: string) => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};

/**
 * Every Redis container must refuse writes when full (`noeviction`: an evicted job is an order that
 * never expires) and cap its memory below the container's limit, so Redis refuses before the kernel kills it.
 */
export const redisMemoryProblems = (cluster: Cluster): string[] =>
  cluster.workloads.flatMap((deployment) =>
    containersOf(deployment)
      .filter((container) => (container.image ?? '').startsWith('redis:'))
      .flatMap((container) => {
        const where = `${describeWorkload(deployment)} container ${container.name}`;
        const args = (container.args ?? []).map(String);
        const policy = argAfter(args, '--maxmemory-policy');
        const cap = toBytes(argAfter(args, '--maxmemory') ?? '');
        const limit = toBytes(String(container.resources?.limits?.memory ?? ''));
        const problems: string[] = [];
        if (policy !== 'noeviction') problems.push(`${where}: --maxmemory-policy is ${policy ?? 'unset'}, not noeviction`);
        if (cap === undefined) problems.push(`${where}: no --maxmemory`);
        if (limit === undefined) problems.push(`${where}: no memory limit`);
        if (cap !== undefined && limit !== undefined && cap >= limit) problems.push(`${where}: --maxmemory is not below the memory limit`);
        return problems;
      }),
  );
