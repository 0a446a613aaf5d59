import { artifactFolder, artifactProblems, rawYamlProblems } from './lib/artifacts';
import { listRepoFiles, loadCluster, loadSkaffoldConfig, repoBuildContext } from './lib/fixtures';
import { readRepoFile } from './lib/repo';
import { checkSkaffold, imageProblems, parseSkaffold, patchProblems, productionProfileProblems } from './lib/skaffold';

const config = loadSkaffoldConfig();
const context = repoBuildContext();
const files = listRepoFiles();

describe('skaffold.yaml', () => {
  it('fits the schema of the fields it uses (current apiVersion, local build without push)', () => {
    expect(checkSkaffold(parseSkaffold(readRepoFile('skaffold.yaml'))).problems).toEqual([]);
  });

  it('builds every image from the repo root, one artifact per workspace with a Dockerfile of its own', () => {
    expect(config.build.artifacts.map((artifact) => artifact.context)).toEqual(config.build.artifacts.map(() => '.'));
    const folders = config.build.artifacts.map(artifactFolder);
    expect(new Set(folders).size).toBe(folders.length);
    expect(folders.sort()).toEqual(['auth', 'client', 'expiration', 'orders', 'payments', 'tickets']);
  });

  it('builds exactly the images the Deployments run', () => {
    expect(imageProblems(config, loadCluster())).toEqual([]);
  });

  it('builds stages that exist, whose CMD the build produces, and syncs sources onto the files they replace', () => {
    expect(config.build.artifacts.flatMap((artifact) => artifactProblems(artifact, context, files))).toEqual([]);
  });

  it('deploys the manifests of infra/k8s', () => {
    expect(config.manifests.rawYaml).toEqual(['infra/k8s/*']);
    expect(rawYamlProblems(config, files)).toEqual([]);
  });

  it('has profile patches that point at existing fields', () => {
    expect(patchProblems(config)).toEqual([]);
  });

  it('has a production profile that builds the final stage of every image', () => {
    expect(productionProfileProblems(config)).toEqual([]);
  });
});
