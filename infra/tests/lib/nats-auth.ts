import path from 'path';
import { Cluster, containersOf, describeWorkload, findConfigMap, findService, IContainer, Workload, selectedBy } from './kube';
import { flagValue } from './wiring';

/** One key of one Secret. */
export interface SecretKey {
  secret: string;
  key: string;
}

/** NATS Streaming's server, or nats-server (JetStream). */
const natsServerImage = /^nats(?:-streaming)?:/;

export const natsServers = (cluster: Cluster): Workload[] =>
  cluster.workloads.filter((deployment) => containersOf(deployment).some((c) => natsServerImage.test(c.image ?? '')));

/** The Secret key a container's variable is read from, if a required secretKeyRef sets it. */
const secretKeyOf = (container: IContainer, variable: string): SecretKey | undefined => {
  const ref = (container.env ?? []).find((candidate) => candidate.name === variable)?.valueFrom?.secretKeyRef;
  return ref && ref.optional !== true ? { secret: ref.name ?? '', key: ref.key } : undefined;
};

const describeKey = (source: SecretKey | undefined) => (source ? `Secret ${source.secret} key ${source.key}` : 'no Secret');
const same = (a: SecretKey | undefined, b: SecretKey | undefined) => !!a && !!b && a.secret === b.secret && a.key === b.key;

/** The text of a file the container mounts from a ConfigMap, if that is where the path leads. */
export const mountedConfigFile = (deployment: Workload, container: IContainer, file: string, cluster: Cluster): string | undefined => {
  const mount = (container.volumeMounts ?? []).find((candidate) => file.startsWith(`${candidate.mountPath.replace(/\/$/, '')}/`));
  if (!mount) return undefined;
  const volume = (deployment.spec?.template.spec?.volumes ?? []).find((candidate) => candidate.name === mount.name);
  if (!volume?.configMap) return undefined;
  const relative = path.posix.relative(mount.mountPath, file);
  const key = volume.configMap.items?.find((item) => item.path === relative)?.key ?? relative;
  return findConfigMap(cluster, volume.configMap.name ?? '')?.data?.[key];
};

/**
 * The user and password a NATS server demands, as the Secret keys they come
 * from: `--user $(VAR)`/`--pass $(VAR)` flags, or the `authorization` block of
 * its `-c` config file naming `$VAR`s, each VAR read from a Secret.
 */
export const natsServerCredentials = (
  deployment: Workload,
  container: IContainer,
  cluster: Cluster,
): { user?: SecretKey; password?: SecretKey; problems: string[] } => {
  const args = container.args ?? [];
  const fromFlag = (flag: string) => {
    const value = flagValue(args, [flag]);
    const variable = value === undefined ? undefined : /^\$\(([A-Za-z_]\w*)\)$/.exec(value)?.[1];
    return { value, variable };
  };
  const user = fromFlag('user');
  const pass = fromFlag('pass');
  if (user.value !== undefined || pass.value !== undefined) {
    const problems = [user, pass]
      .filter((flag) => flag.value !== undefined && flag.variable === undefined)
      .map(() => 'a credential flag holds a literal value, not $(VARIABLE) from a Secret');
    return {
      user: user.variable ? secretKeyOf(container, user.variable) : undefined,
      password: pass.variable ? secretKeyOf(container, pass.variable) : undefined,
      problems,
    };
  }
  const configPath = flagValue(args, ['c', 'config']);
  if (configPath === undefined) return { problems: [] };
  const text = mountedConfigFile(deployment, container, configPath, cluster);
  if (text === undefined) return { problems: [`config file ${configPath} is not mounted from a ConfigMap`] };
  const block = /\bauthorization\s*[:=]?\s*\{([^}]*)\}/.exec(text)?.[1] ?? '';
  const field = (name: string) => {
    const value = new RegExp(`\\b${name}\\s*[:=]\\s*(\\S+)`).exec(block)?.[1];
    const variable = value === undefined ? undefined : /^\$([A-Za-z_]\w*)$/.exec(value)?.[1];
    return { value, variable };
  };
  const fileUser = field('user');
  const filePassword = field('password');
  const problems =
    filePassword.value !== undefined && filePassword.variable === undefined
      ? [`${configPath} holds a literal password, not $VARIABLE from a Secret`]
      : [];
  return {
    user: fileUser.variable ? secretKeyOf(container, fileUser.variable) : undefined,
    password: filePassword.variable ? secretKeyOf(container, filePassword.variable) : undefined,
    problems,
  };
};

/** `$(NAME)`, Kubernetes' reference to an earlier variable of the container, or undefined for anything else. */
const expansion = (text: string) => /^\$\(([A-Za-z_]\w*)\)$/.exec(decodeURIComponent(text))?.[1];

/**
 * NATS demands a user and password from Secret keys, and every container whose
 * NATS_URL leads to it presents exactly those keys: `nats://$(USER):$(PASSWORD)@host:port`
 * in its own env (a ConfigMap value is never expanded), each variable read from
 * the server's Secret key and defined before NATS_URL, since Kubernetes expands
 * only earlier ones. No other container reads the credentials.
 */
export const natsAuthProblems = (cluster: Cluster): string[] => {
  const servers = natsServers(cluster);
  const credentials = new Map(
    servers.map((deployment) => {
      const container = containersOf(deployment).find((candidate) => natsServerImage.test(candidate.image ?? ''));
      return [deployment, container ? natsServerCredentials(deployment, container, cluster) : { problems: [] }] as const;
    }),
  );
  const serverProblems = [...credentials].flatMap(([deployment, found]) => {
    const label = `${describeWorkload(deployment)}`;
    if (!found.user || !found.password) {
      const missing = `${label}: NATS accepts clients without a user and password read from a Secret`;
      return [missing, ...found.problems.map((problem) => `${label}: ${problem}`)];
    }
    return found.problems.map((problem) => `${label}: ${problem}`);
  });

  const clientProblems = cluster.workloads
    .filter((deployment) => !servers.includes(deployment))
    .flatMap((deployment) =>
      containersOf(deployment).flatMap((container) => {
        const label = `${describeWorkload(deployment)}`;
        const env = container.env ?? [];
        const own = env.findIndex((variable) => variable.name === 'NATS_URL');
        const natsKeys = [...credentials.values()].flatMap((found) => [found.user, found.password]);
        const readsCredentials = env.some((variable) => natsKeys.some((key) => same(key, secretKeyOf(container, variable.name))));
        const fromConfigMap = (container.envFrom ?? []).some(
          (source) => findConfigMap(cluster, source.configMapRef?.name ?? '')?.data?.NATS_URL !== undefined,
        );
        if (own === -1) {
          if (fromConfigMap) return [`${label}: NATS_URL comes from a ConfigMap, which can carry no credentials from a Secret`];
          return readsCredentials ? [`${label}: reads NATS credentials but has no NATS_URL to use them`] : [];
        }
        const raw = env[own].value ?? '';
        let url: URL;
        try {
          url = new URL(raw);
        } catch {
          return [`${label}: NATS_URL is not a URL`];
        }
        const service = findService(cluster, url.hostname);
        const server = service && selectedBy(service, cluster).find((target) => credentials.has(target));
        if (!server) return []; // serviceAddressProblems reports a NATS_URL that leads nowhere
        const expected = credentials.get(server);
        const parts = [
          { what: 'user', text: url.username, expected: expected?.user },
          { what: 'password', text: url.password, expected: expected?.password },
        ];
        return parts.flatMap(({ what, text, expected: key }) => {
          if (text === '') return [`${label}: NATS_URL carries no ${what}`];
          const variable = expansion(text);
          if (!variable) return [`${label}: NATS_URL's ${what} is written into the manifest, not $(VARIABLE) from a Secret`];
          const index = env.findIndex((candidate) => candidate.name === variable);
          if (index === -1 || index > own) return [`${label}: NATS_URL uses $(${variable}), which is not defined before it`];
          const source = secretKeyOf(container, variable);
          return same(source, key)
            ? []
            : [`${label}: NATS_URL's ${what} is $(${variable}) from ${describeKey(source)}, not ${describeKey(key)} as the server's`];
        });
      }),
    );
  return [...serverProblems, ...clientProblems];
};
