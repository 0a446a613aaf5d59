import { deployedFiles, loadDeployedManifests, loadSkaffoldConfig } from './lib/fixtures';
import { duplicateProblems, parseManifests, readFiles } from './lib/manifests';
import { schemaProblems, unknownFieldProblems } from './lib/schema';
import { withProfile } from './lib/skaffold';

const config = loadSkaffoldConfig();
const profiles = (config.profiles ?? []).map((profile) => profile.name);

describe('the manifests skaffold deploys, with any profile', () => {
  const files = readFiles([
    ...new Set([config, ...profiles.map((name) => withProfile(config, name))].flatMap((built) => deployedFiles(built))),
  ]);
  const { manifests, problems } = parseManifests(files);

  it('come from infra/k8s, the event bus and database folders, the seed, the dead-letter Job and observability', () => {
    expect([...new Set(files.map(({ file }) => file.replace(/\/[^/]+$/, '')))].sort()).toEqual([
      'infra/k8s',
      'infra/k8s-deadletters',
      'infra/k8s-jetstream',
      'infra/k8s-mongo',
      'infra/k8s-mongo-replicaset',
      'infra/k8s-nats-streaming',
      'infra/k8s-observability',
      'infra/k8s-seed',
    ]);
  });

  it('parse as YAML, every document a Kubernetes object', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    expect(manifests.length).toBeGreaterThanOrEqual(files.length);
  });

  it('validate against the official Kubernetes schema (kubernetes-models)', () => {
    expect(schemaProblems(manifests)).toEqual([]);
  });

  it('use no field the Kubernetes API does not know, as kubectl apply validates strictly', () => {
    expect(unknownFieldProblems(manifests)).toEqual([]);
  }, 60_000);

  it.each([[[]], ...profiles.map((name) => [[name]])])('define each kind and name once, with profiles %j', (names: string[]) => {
    expect(duplicateProblems(loadDeployedManifests(...names))).toEqual([]);
  });
});
