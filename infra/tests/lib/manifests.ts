import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { repoPath } from './repo';

export const manifestDir = 'infra/k8s';

export interface ManifestFile {
  /** Path relative to the repo root. */
  file: string;
  text: string;
}

/** One YAML document of a manifest file, as plain data. */
export interface Manifest {
  file: string;
  /** Position of the document in its file, from 0. */
  index: number;
  object: Record<string, unknown>;
}

export const isYamlFile = (file: string): boolean => /\.ya?ml$/.test(file);

/** Given files (relative to the repo root), with their text. */
export const readFiles = (files: string[]): ManifestFile[] =>
  files.map((file) => ({ file, text: fs.readFileSync(repoPath(file), 'utf8') }));

export const readManifestFiles = (dir = manifestDir): ManifestFile[] =>
  readFiles(
    fs
      .readdirSync(repoPath(dir))
      .filter(isYamlFile)
      .sort()
      .map((name) => path.posix.join(dir, name)),
  );

/** Splits every file into its documents; a document that does not parse, or is not a mapping, is a problem. */
export const parseManifests = (files: ManifestFile[]): { manifests: Manifest[]; problems: string[] } => {
  const manifests: Manifest[] = [];
  const problems: string[] = [];
  for (const { file, text } of files) {
    YAML.parseAllDocuments(text).forEach((doc, index) => {
      const where = `${file} (document ${index + 1})`;
      if (doc.errors.length > 0) {
        problems.push(...doc.errors.map((err) => `${where}: ${err.message}`));
        return;
      }
      const object: unknown = doc.toJS();
      if (object === null || object === undefined) return; // an empty document, e.g. after a trailing ---
      if (typeof object !== 'object' || Array.isArray(object)) {
        problems.push(`${where}: not a Kubernetes object`);
        return;
      }
      manifests.push({ file, index, object: object as Record<string, unknown> });
    });
  }
  return { manifests, problems };
};

const parsedOrThrow = (files: ManifestFile[]): Manifest[] => {
  const { manifests, problems } = parseManifests(files);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return manifests;
};

export const loadManifests = (dir = manifestDir): Manifest[] => parsedOrThrow(readManifestFiles(dir));

export const loadManifestFiles = (files: string[]): Manifest[] => parsedOrThrow(readFiles(files));

const text = (value: unknown) => (typeof value === 'string' ? value : '?');

export const describeManifest = ({ file, object }: Manifest): string => {
  const metadata = object.metadata as { name?: unknown } | undefined;
  return `${file}: ${text(object.kind)} ${text(metadata?.name)}`;
};

/** Two objects of one kind with one name would overwrite each other on apply. */
export const duplicateProblems = (manifests: Manifest[]): string[] => {
  const seen = new Map<string, Manifest>();
  return manifests.flatMap((manifest) => {
    const metadata = manifest.object.metadata as { name?: unknown } | undefined;
    const key = `${String(manifest.object.kind)}/${String(metadata?.name)}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, manifest);
      return [];
    }
    return [`${describeManifest(manifest)}: also defined in ${first.file}`];
  });
};
