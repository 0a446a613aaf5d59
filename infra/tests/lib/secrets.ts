import { Cluster, containersOf, describeWorkload, nameOf } from './kube';

export interface SecretRef {
  secret: string;
  key: string;
  optional: boolean;
  /** Where it is referenced, for messages. */
  by: string;
}

/** Every Secret key a pod reads (volumes of Secrets are not used here and would show up as unreferenced). */
export const secretRefs = (cluster: Cluster): SecretRef[] =>
  cluster.workloads.flatMap((deployment) =>
    containersOf(deployment).flatMap((container) =>
      (container.env ?? []).flatMap((variable) => {
        const ref = variable.valueFrom?.secretKeyRef;
        if (!ref) return [];
        return [
          {
            secret: ref.name ?? '',
            key: ref.key,
            optional: ref.optional ?? false,
            by: `${describeWorkload(deployment)} ${variable.name}`,
          },
        ];
      }),
    ),
  );

/**
 * The Secrets a markdown text tells how to create: each
 * `kubectl create secret generic <name> --from-literal=<KEY>=...` command,
 * continued over `\`-ended lines.
 */
export const documentedSecrets = (markdown: string): Map<string, Set<string>> => {
  const commands = markdown.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  const documented = new Map<string, Set<string>>();
  for (const command of commands) {
    const match = /kubectl\s+create\s+secret\s+generic\s+([a-z0-9][-a-z0-9.]*)/.exec(command);
    if (!match) continue;
    const keys = documented.get(match[1]) ?? new Set<string>();
    for (const literal of command.matchAll(/--from-literal=([A-Za-z0-9_.-]+)=/g)) keys.add(literal[1]);
    documented.set(match[1], keys);
  }
  return documented;
};

/** Every Secret key the manifests read is created by a documented command. */
export const undocumentedSecretProblems = (refs: SecretRef[], markdown: string): string[] => {
  const documented = documentedSecrets(markdown);
  return refs.flatMap(({ secret, key, by }) => {
    const keys = documented.get(secret);
    if (!keys) return [`${by}: Secret ${secret} is read but no documented \`kubectl create secret generic ${secret}\` creates it`];
    return keys.has(key) ? [] : [`${by}: key ${key} of Secret ${secret} is read but the documented command does not set it`];
  });
};

const secretLooking = /(?:^|_)(?:KEY|SECRET|PASSWORD|TOKEN)$/;

/** No secret value lives in the repository: no Secret objects, and secret-looking variables come from Secrets. */
export const plaintextSecretProblems = (cluster: Cluster): string[] => [
  ...cluster.secrets.map((secret) => `Secret ${nameOf(secret)} is committed; create it with kubectl instead`),
  ...cluster.workloads.flatMap((deployment) =>
    containersOf(deployment).flatMap((container) =>
      (container.env ?? [])
        .filter((variable) => secretLooking.test(variable.name) && !variable.valueFrom?.secretKeyRef)
        .map((variable) => `${describeWorkload(deployment)}: ${variable.name} is not read from a Secret`),
    ),
  ),
];
