import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { repoRoot } from './tools';

/** The manifest of the cluster's trace store: its Deployment zipkin-depl's container env is Zipkin's configuration. */
export const zipkinManifest = path.join(repoRoot, 'infra/k8s-observability/zipkin.yaml');

interface DeploymentDoc {
  kind?: string;
  metadata?: { name?: string };
  spec?: { template?: { spec?: { containers?: { name?: string; env?: { name: string; value?: string }[] }[] } } };
}

/** The variables the manifest's zipkin container runs with (storage, span cap, JAVA_OPTS), for a local server to run with too. */
export const manifestZipkinEnv = (file = zipkinManifest): Record<string, string> => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS() as DeploymentDoc);
  const deployment = docs.find((doc) => doc?.kind === 'Deployment' && doc.metadata?.name === 'zipkin-depl');
  const container = deployment?.spec?.template?.spec?.containers?.find((each) => each.name === 'zipkin');
  if (!container) throw new Error(`${file} has no Deployment zipkin-depl with a container zipkin`);
  return Object.fromEntries((container.env ?? []).map(({ name, value }) => [name, value ?? '']));
};
