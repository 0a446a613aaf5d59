import path from 'path';
import { Cluster, containersOf, describeWorkload, findConfigMap, findService, IContainer, nameOf, Workload, selectedBy } from './kube';
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

/** One user a NATS server knows: its name, and the Secret key its password comes from. */
export interface NatsServerUser {
  name: string;
  password?: SecretKey;
}

/** `user: <name>` then `password: $VARIABLE` in a nats.conf: one entry of its users list (or its single user). */
const userEntries = /\buser\s*[:=]\s*"?(\$?[\w-]+)"?[\s,]+password\s*[:=]\s*(\S+?)[\s,}]/g;

/**
 * The users a NATS server knows, each with the Secret key of its password: the entries of the `authorization` block
 * of its `-c` config file, each password a `$VAR` read from a Secret. `--user`/`--pass` flags give one user for every
 * client, which is reported.
 */
export const natsServerCredentials = (
  deployment: Workload,
  container: IContainer,
  cluster: Cluster,
): { users: NatsServerUser[]; problems: string[] } => {
  const args = container.args ?? [];
  if (flagValue(args, ['user']) !== undefined || flagValue(args, ['pass']) !== undefined)
    return { users: [], problems: ['one user for every client (--user/--pass): give each service a user of its own in the config file'] };
  const configPath = flagValue(args, ['c', 'config']);
  if (configPath === undefined) return { users: [], problems: [] };
  const text = mountedConfigFile(deployment, container, configPath, cluster);
  if (text === undefined) return { users: [], problems: [`config file ${configPath} is not mounted from a ConfigMap`] };
  const block = /\bauthorization\s*[:=]?\s*\{([\s\S]*)$/.exec(text)?.[1] ?? '';
  const entries = [...block.matchAll(userEntries)].map((match) => ({ name: match[1], password: match[2] }));
  const problems = entries
    .filter((entry) => !/^\$[A-Za-z_]\w*$/.test(entry.password))
    .map((entry) => `${configPath} holds a literal password for ${entry.name}, not $VARIABLE from a Secret`);
  const users = entries.map(({ name, password }) => {
    const variable = /^\$([A-Za-z_]\w*)$/.exec(password)?.[1];
    return { name, password: variable ? secretKeyOf(container, variable) : undefined };
  });
  const shared = users.flatMap((user, index) =>
    users
      .slice(index + 1)
      .filter((other) => same(user.password, other.password))
      .map((other) => `users ${user.name} and ${other.name} share ${describeKey(user.password)}`),
  );
  return { users, problems: [...problems, ...shared] };
};

/** `$(NAME)`, Kubernetes' reference to an earlier variable of the container, or undefined for anything else. */
const expansion = (text: string) => /^\$\(([A-Za-z_]\w*)\)$/.exec(decodeURIComponent(text))?.[1];

/** The NATS user a workload connects as: its own name, `live` for live-depl. */
export const natsUserOf = (workload: Workload) => nameOf(workload).replace(/-depl$/, '');

/**
 * NATS demands a user and password, each user's password from a Secret key of its own, and every container whose
 * NATS_URL leads to it presents its own user, `nats://<name>:$(PASSWORD)@host:port` with <name> its workload's
 * (live for live-depl) in its own env (a ConfigMap value is never expanded), PASSWORD read from the Secret key the
 * server has for that user and defined before NATS_URL, since Kubernetes expands only earlier ones. No other
 * container reads the credentials.
 */
export const natsAuthProblems = (cluster: Cluster): string[] => {
  const servers = natsServers(cluster);
  const credentials = new Map(
    servers.map((deployment) => {
      const container = containersOf(deployment).find((candidate) => natsServerImage.test(candidate.image ?? ''));
      return [deployment, container ? natsServerCredentials(deployment, container, cluster) : { users: [], problems: [] }] as const;
    }),
  );
  const serverProblems = [...credentials].flatMap(([deployment, found]) => {
    const label = `${describeWorkload(deployment)}`;
    const own = found.problems.map((problem) => `${label}: ${problem}`);
    if (found.users.length === 0 || found.users.some((user) => !user.password))
      return [`${label}: NATS accepts clients without a user and password read from a Secret`, ...own];
    return own;
  });

  const natsKeys = [...credentials.values()].flatMap((found) => found.users.map((user) => user.password));
  const clientProblems = cluster.workloads
    .filter((deployment) => !servers.includes(deployment))
    .flatMap((deployment) =>
      containersOf(deployment).flatMap((container) => {
        const label = `${describeWorkload(deployment)}`;
        const env = container.env ?? [];
        const own = env.findIndex((variable) => variable.name === 'NATS_URL');
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
        if (url.username === '') return [`${label}: NATS_URL carries no user`];
        if (url.password === '') return [`${label}: NATS_URL carries no password`];
        const ownUser = natsUserOf(deployment);
        if (url.username !== ownUser) return [`${label}: NATS_URL's user is ${decodeURIComponent(url.username)}, not ${ownUser}, its own`];
        const user = credentials.get(server)?.users.find((candidate) => candidate.name === ownUser);
        if (!user) return [`${label}: ${describeWorkload(server)} has no user ${ownUser}`];
        const variable = expansion(url.password);
        if (!variable) return [`${label}: NATS_URL's password is written into the manifest, not $(VARIABLE) from a Secret`];
        const index = env.findIndex((candidate) => candidate.name === variable);
        if (index === -1 || index > own) return [`${label}: NATS_URL uses $(${variable}), which is not defined before it`];
        const source = secretKeyOf(container, variable);
        return same(source, user.password)
          ? []
          : [
              `${label}: NATS_URL's password is $(${variable}) from ${describeKey(source)}, not ${describeKey(user.password)} as the server's for ${ownUser}`,
            ];
      }),
    );
  return [...serverProblems, ...clientProblems];
};

/** Lines that say something: comments and blank lines dropped, indentation ignored. */
const significantLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

/**
 * Each NATS server's config file holds, as they are, the users and permissions common/src/bus/nats-users.ts renders
 * for its transport (`authorization` by the server's image: nats-streaming or nats).
 */
export const natsAuthorizationProblems = (cluster: Cluster, expected: { natsStreaming: string; jetStream: string }): string[] =>
  natsServers(cluster).flatMap((workload) =>
    containersOf(workload)
      .filter((container) => natsServerImage.test(container.image ?? ''))
      .flatMap((container) => {
        const label = describeWorkload(workload);
        const configPath = flagValue(container.args ?? [], ['c', 'config']);
        const text = configPath === undefined ? undefined : mountedConfigFile(workload, container, configPath, cluster);
        if (text === undefined) return [`${label}: no config file, so no users and permissions`];
        const wanted = significantLines(
          (container.image ?? '').startsWith('nats-streaming:') ? expected.natsStreaming : expected.jetStream,
        );
        const lines = significantLines(text);
        const start = lines.indexOf(wanted[0]);
        const actual = start === -1 ? [] : lines.slice(start, start + wanted.length);
        const differs = wanted.findIndex((line, index) => actual[index] !== line);
        return differs === -1
          ? []
          : [
              `${label}: ${configPath} is not the authorization of common/src/bus/nats-users.ts: it has ${actual[differs] ?? 'nothing'} where that has ${wanted[differs]}`,
            ];
      }),
  );
