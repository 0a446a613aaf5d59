import { loadManifests } from './manifests';
import { Cluster, toCluster } from './kube';
import { listRepoFiles, readRepoFile, repoBuildContext } from './repo';
import { checkSkaffold, parseSkaffold, SkaffoldConfig } from './skaffold';

/** Where the cluster's setup is documented: the README's "Deploy to a cluster" section. */
export const readSetupDocs = (): string => readRepoFile('README.md');

export const loadSkaffoldConfig = (): SkaffoldConfig => {
  const { config, problems } = checkSkaffold(parseSkaffold(readRepoFile('skaffold.yaml')));
  if (!config) throw new Error(problems.join('\n'));
  return config;
};

/** A fresh copy of the manifests as the cluster checks see them, safe to change in a test. */
export const loadCluster = (): Cluster => toCluster(loadManifests());

export const builtImages = (config: SkaffoldConfig): Set<string> => new Set(config.build.artifacts.map((artifact) => artifact.image));

export { listRepoFiles, repoBuildContext };
