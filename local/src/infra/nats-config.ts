import crypto from 'crypto';
import path from 'path';
import { configMapFile } from './manifest-config';
import { repoRoot } from './tools';

/** The manifests whose ConfigMap nats-server-config holds each NATS server's nats.conf. */
export const natsManifests = {
  'nats-streaming': path.join(repoRoot, 'infra/k8s-nats-streaming/nats-depl.yaml'),
  jetstream: path.join(repoRoot, 'infra/k8s-jetstream/nats.yaml'),
} as const;

/** The nats.conf of a manifest's ConfigMap nats-server-config, as the cluster's server reads it. */
export const manifestNatsConf = (file: string): string => configMapFile(file, 'nats-server-config', 'nats.conf');

/** The `$NAME`s a nats.conf takes from the server's environment. */
export const natsConfVariables = (text: string): string[] => [...new Set([...text.matchAll(/\$([A-Za-z_]\w*)/g)].map((match) => match[1]))];

/** Each user of a nats.conf's users list and the `$VARIABLE` its password comes from. */
export const natsConfUsers = (text: string): { user: string; passwordVariable: string }[] =>
  [...text.matchAll(/\buser\s*[:=]\s*"?([\w-]+)"?\s+password\s*[:=]\s*\$([A-Za-z_]\w*)/g)].map((match) => ({
    user: match[1],
    passwordVariable: match[2],
  }));

/** The user local tools and test suites connect as, with every right; the services connect as their own. */
export const LOCAL_NATS_USER = { user: 'local', passwordVariable: 'NATS_LOCAL_PASSWORD' } as const;

/** One member of a local cluster: its name, its cluster port, and every member's cluster port, in the manifest's order of routes. */
export interface LocalClusterMember {
  serverName: string;
  clusterPort: number;
  routePorts: number[];
}

export interface LocalNatsConfOptions {
  port?: number;
  storeDir?: string;
  /** Adds LOCAL_NATS_USER to the users list. */
  localUser: boolean;
  /** The manifest's cluster block on loopback ports; without it the server runs alone, the block left out. */
  cluster?: LocalClusterMember;
}

/** A server alone takes this name. */
const SINGLE_SERVER_NAME = 'ticketing';

const CLUSTER_BLOCK = /^cluster\s*\{[\s\S]*?^\}\s*\n/m;
const ROUTE = /nats:\/\/[\w.-]+:\d+/g;

/** The nats:// routes of a nats.conf's cluster block, in order. */
export const natsConfRoutes = (text: string): string[] =>
  [...(CLUSTER_BLOCK.exec(text)?.[0] ?? '').matchAll(ROUTE)].map((match) => match[0]);

/** The manifest's cluster block with its listener on loopback `clusterPort` and its i-th route to the i-th local member. */
const localClusterBlock = (block: string, { clusterPort, routePorts }: LocalClusterMember): string => {
  const routes = [...block.matchAll(ROUTE)];
  if (routes.length !== routePorts.length)
    throw new Error(`nats.conf's cluster names ${routes.length} routes: run that many local servers, not ${routePorts.length}`);
  let index = 0;
  return block
    .replace(/^(\s*)port\s*[:=].*$/m, `$1port: ${clusterPort}\n$1host: 127.0.0.1`)
    .replace(ROUTE, () => `nats://127.0.0.1:${routePorts[index++]}`);
};

/** The server's name and cluster: the manifest's routes on local ports for a member of a local cluster, none for a server alone. */
const localClustering = (text: string, cluster?: LocalClusterMember): string => {
  const named = text.replace(/^(\s*)server_name\s*[:=].*$/m, `$1server_name: ${cluster?.serverName ?? SINGLE_SERVER_NAME}`);
  return named.replace(CLUSTER_BLOCK, (block) => (cluster ? localClusterBlock(block, cluster) : ''));
};

/**
 * A manifest's nats.conf for a local server: the same JetStream limits, users and permissions, listening on
 * loopback `port` only, its store in `storeDir`, without the monitoring port (several servers run side by side),
 * and clustered with the other local members as the manifest's routes say, or alone.
 */
export const localNatsConf = (text: string, { port, storeDir, localUser, cluster }: LocalNatsConfOptions): string => {
  let local = localClustering(text.replace(/^\s*http_port\s*[:=].*\n/m, ''), cluster);
  if (port !== undefined) local = local.replace(/^(\s*)port\s*[:=].*$/m, `$1port: ${port}\n$1host: 127.0.0.1`);
  if (storeDir !== undefined) local = local.replace(/^(\s*)store_dir\s*[:=].*$/m, `$1store_dir: ${JSON.stringify(storeDir)}`);
  if (!localUser) return local;
  const withLocal = local.replace(
    /^(\s*)users\s*[:=]\s*\[\s*$/m,
    (line, indent: string) => `${line}\n${indent}  { user: ${LOCAL_NATS_USER.user}, password: $${LOCAL_NATS_USER.passwordVariable} }`,
  );
  if (withLocal === local) throw new Error('nats.conf has no users list to add the local user to');
  return withLocal;
};

/**
 * A random password for a server of one run: it never leaves the machine. nats-server parses a `$VARIABLE`'s value as
 * a config value, so it starts with a letter (`6j...` would be a malformed number, `6e5` the number 600000).
 */
export const randomPassword = () => `p${crypto.randomBytes(18).toString('hex')}`;

/** The variable that hands a user's URL to its service: NATS_URL_LIVE for live. */
export const natsUrlVariableOf = (user: string) => `NATS_URL_${user.toUpperCase()}`;
