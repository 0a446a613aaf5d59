import { matchGlob } from './glob';
import { isYamlFile, loadManifestFiles, Manifest } from './manifests';
import { Cluster, toCluster } from './kube';
import { listRepoFiles, readRepoFile, repoBuildContext } from './repo';
import { checkSkaffold, parseSkaffold, SkaffoldConfig, withProfile } from './skaffold';

/** Where the cluster's setup is documented: docs/deployment.md, the page the README links for it. */
export const readSetupDocs = (): string => readRepoFile('docs/deployment.md');

export const loadSkaffoldConfig = (): SkaffoldConfig => {
  const { config, problems } = checkSkaffold(parseSkaffold(readRepoFile('skaffold.yaml')));
  if (!config) throw new Error(problems.join('\n'));
  return config;
};

let repoFiles: string[] | undefined;
/** The repository's files, listed once per test file: the manifests do not change during a run. */
const knownRepoFiles = (): string[] => (repoFiles ??= listRepoFiles());

/** The manifest files skaffold deploys with a configuration: the YAML files each rawYaml glob matches, in order. */
export const deployedFiles = (built: SkaffoldConfig, files = knownRepoFiles()): string[] =>
  built.manifests.rawYaml.flatMap((pattern) => matchGlob(pattern, files).filter(isYamlFile).sort());

/** What `skaffold render` would apply with the given profiles (none: `skaffold dev`), as plain data. */
export const loadDeployedManifests = (...profiles: string[]): Manifest[] => {
  const config = loadSkaffoldConfig();
  const unknown = profiles.filter((profile) => !config.profiles?.some((candidate) => candidate.name === profile));
  if (unknown.length > 0) throw new Error(`skaffold.yaml has no profile ${unknown.join(', ')}`);
  const built = profiles.reduce((profiled, profile) => withProfile(profiled, profile), config);
  return loadManifestFiles(deployedFiles(built));
};

/** A fresh copy of the cluster a profile deploys (none: `skaffold dev`'s), as the checks see it, safe to change in a test. */
export const loadCluster = (...profiles: string[]): Cluster => toCluster(loadDeployedManifests(...profiles));

export const builtImages = (config: SkaffoldConfig): Set<string> => new Set(config.build.artifacts.map((artifact) => artifact.image));

export { listRepoFiles, repoBuildContext };
