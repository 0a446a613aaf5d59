import path from 'path';
import { artifactFolder, artifactProblems, rawYamlProblems, sharedDockerfileProblems } from './lib/artifacts';
import { listRepoFiles, loadCluster, loadSkaffoldConfig, readSetupDocs, repoBuildContext } from './lib/fixtures';
import { readRepoFile } from './lib/repo';
import {
  checkSkaffold,
  imageProblems,
  parseSkaffold,
  patchProblems,
  productionProfileProblems,
  undocumentedProfileProblems,
  withProfile,
} from './lib/skaffold';

const config = loadSkaffoldConfig();
const context = repoBuildContext();
const files = listRepoFiles();
const services = ['auth', 'tickets', 'orders', 'payments', 'expiration', 'live', 'queue'];

describe('skaffold.yaml', () => {
  it('fits the schema of the fields it uses (current apiVersion, local build)', () => {
    expect(checkSkaffold(parseSkaffold(readRepoFile('skaffold.yaml'))).problems).toEqual([]);
  });

  it('builds every image from the repo root, one artifact per workspace', () => {
    expect(config.build.artifacts.map((artifact) => artifact.context)).toEqual(config.build.artifacts.map(() => '.'));
    const folders = config.build.artifacts.map(artifactFolder);
    expect(new Set(folders).size).toBe(folders.length);
    expect(folders.sort()).toEqual(['auth', 'balances', 'client', 'expiration', 'live', 'orders', 'payments', 'queue', 'tickets']);
  });

  it.each([
    ['skaffold dev', config],
    ['the production profile', withProfile(config, 'production')],
  ])('with %s, builds the seven services from the one root Dockerfile, each with buildArgs SERVICE=<its folder>', (_, built) => {
    expect(sharedDockerfileProblems(built, services)).toEqual([]);
  });

  it("has two Dockerfiles: the root one for the services, and the client's own", () => {
    expect(files.filter((file) => path.posix.basename(file) === 'Dockerfile').sort()).toEqual(['Dockerfile', 'client/Dockerfile']);
  });

  it('builds exactly the images the Deployments run', () => {
    expect(imageProblems(config, loadCluster())).toEqual([]);
  });

  it('builds stages that exist, whose CMD the build produces, and syncs sources onto the files they replace', () => {
    expect(config.build.artifacts.flatMap((artifact) => artifactProblems(artifact, context, files))).toEqual([]);
  });

  it('deploys the manifests of infra/k8s, and the event bus of infra/k8s-nats-streaming', () => {
    expect(config.manifests.rawYaml).toEqual(['infra/k8s/*', 'infra/k8s-nats-streaming/*', 'infra/k8s-mongo/*']);
    expect(rawYamlProblems(config, files)).toEqual([]);
  });

  it('has profile patches that point at existing fields', () => {
    expect(patchProblems(config)).toEqual([]);
  });

  it('shows every profile in use in the deployment docs', () => {
    expect((config.profiles ?? []).map((profile) => profile.name)).toEqual([
      'production',
      'seed',
      'deadletters',
      'observability',
      'jetstream',
      'mongo-replicaset',
    ]);
    expect(undocumentedProfileProblems(config, readSetupDocs())).toEqual([]);
  });

  it('has a production profile that builds the final stage of every image, with the same build arguments', () => {
    expect(productionProfileProblems(config)).toEqual([]);
  });
});
