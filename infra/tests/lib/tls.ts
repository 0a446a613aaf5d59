import { Cluster, IIngress, nameOf } from './kube';

/** Annotations that make ingress-nginx answer plain http with a redirect to https. */
export const httpsRedirectAnnotations = ['nginx.ingress.kubernetes.io/ssl-redirect', 'nginx.ingress.kubernetes.io/force-ssl-redirect'];

const ruleHosts = (ingress: IIngress) => (ingress.spec?.rules ?? []).map((rule) => rule.host ?? '*');

/** Every host of every Ingress is served over TLS from a Secret, and plain http is redirected, never served. */
export const ingressTlsProblems = (cluster: Cluster): string[] =>
  cluster.ingresses.flatMap((ingress) => {
    const label = `Ingress ${nameOf(ingress)}`;
    const tls = ingress.spec?.tls ?? [];
    const hostProblems = ruleHosts(ingress).flatMap((host) => {
      const entry = tls.find((candidate) => (candidate.hosts ?? []).includes(host));
      if (!entry) return [`${label}: host ${host} is not served over TLS`];
      return entry.secretName ? [] : [`${label}: host ${host} has TLS without a secretName`];
    });
    const annotations = ingress.metadata?.annotations ?? {};
    const redirectProblems = httpsRedirectAnnotations
      .filter((annotation) => annotations[annotation] !== 'true')
      .map((annotation) => `${label}: ${annotation} is not "true", so plain http may be served`);
    return [...hostProblems, ...redirectProblems];
  });

/** The TLS Secrets the Ingresses read, with the hosts each must cover. */
export const tlsSecrets = (cluster: Cluster): { secret: string; hosts: string[] }[] =>
  cluster.ingresses.flatMap((ingress) =>
    (ingress.spec?.tls ?? []).flatMap((entry) => (entry.secretName ? [{ secret: entry.secretName, hosts: entry.hosts ?? [] }] : [])),
  );

const shellCommands = (markdown: string) => markdown.replace(/\\\r?\n/g, ' ').split(/\r?\n/);

const option = (command: string, name: string) => new RegExp(`(?:^|\\s)${name}[= ](\\S+)`).exec(command)?.[1];

/**
 * Each TLS Secret is created by a documented `kubectl create secret tls <name>
 * --cert=<crt> --key=<key>`, from an `openssl req -x509` command that writes that
 * certificate and key for every host the Secret serves (a subjectAltName DNS
 * entry each: browsers ignore the common name).
 */
export const undocumentedTlsProblems = (secrets: { secret: string; hosts: string[] }[], markdown: string): string[] => {
  const commands = shellCommands(markdown);
  return secrets.flatMap(({ secret, hosts }) => {
    const create = commands.find((command) => new RegExp(`kubectl\\s+create\\s+secret\\s+tls\\s+${secret}(?:\\s|$)`).test(command));
    if (!create) return [`TLS Secret ${secret} is read but no documented \`kubectl create secret tls ${secret}\` creates it`];
    const cert = option(create, '--cert');
    const key = option(create, '--key');
    if (!cert || !key) return [`the documented \`kubectl create secret tls ${secret}\` names no --cert and --key`];
    const openssl = commands.find(
      (command) => /\bopenssl\s+req\b/.test(command) && option(command, '-out') === cert && option(command, '-keyout') === key,
    );
    if (!openssl) return [`no documented \`openssl req\` writes ${cert} and ${key} for TLS Secret ${secret}`];
    return hosts
      .filter((host) => !new RegExp(`subjectAltName=[^"'\\s]*DNS:${host.replace(/\./g, '\\.')}(?:[,"'\\s]|$)`).test(openssl))
      .map((host) => `the documented certificate for TLS Secret ${secret} does not name ${host} in its subjectAltName`);
  });
};
