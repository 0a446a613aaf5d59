import { loadManifests } from './manifests';
import { Cluster, toCluster } from './kube';
import { listRepoFiles, readRepoFile, repoBuildContext, repoFileExists } from './repo';
import { checkSkaffold, parseSkaffold, SkaffoldConfig } from './skaffold';

/** Where the cluster's setup is documented: the README, and the cluster section waiting to be merged into it. */
export const setupDocs = ['README.md', 'infra/CLUSTER.md'];

export const readSetupDocs = (): string => setupDocs.filter(repoFileExists).map(readRepoFile).join('\n');

export const loadSkaffoldConfig = (): SkaffoldConfig => {
  const { config, problems } = checkSkaffold(parseSkaffold(readRepoFile('skaffold.yaml')));
  if (!config) throw new Error(problems.join('\n'));
  return config;
};

/** A fresh copy of the manifests as the cluster checks see them, safe to change in a test. */
export const loadCluster = (): Cluster => toCluster(loadManifests());

export const builtImages = (config: SkaffoldConfig): Set<string> =>
  new Set(config.build.artifacts.map((artifact) => artifact.image));

export { listRepoFiles, repoBuildContext };
