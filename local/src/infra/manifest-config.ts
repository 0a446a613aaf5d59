import fs from 'fs';
import YAML from 'yaml';

interface ConfigMapDoc {
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
}

/** The file `key` of the ConfigMap `name` in a manifest: what the cluster's server reads, for a local one to read too. */
export const configMapFile = (manifest: string, name: string, key: string): string => {
  const docs = YAML.parseAllDocuments(fs.readFileSync(manifest, 'utf8')).map((doc) => doc.toJS() as ConfigMapDoc);
  const text = docs.find((doc) => doc?.kind === 'ConfigMap' && doc.metadata?.name === name)?.data?.[key];
  if (text === undefined) throw new Error(`${manifest} has no ConfigMap ${name} with a ${key}`);
  return text;
};
