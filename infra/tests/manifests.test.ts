import { duplicateProblems, loadManifests, parseManifests, readManifestFiles } from './lib/manifests';
import { schemaProblems, unknownFieldProblems } from './lib/schema';

describe('the manifests in infra/k8s', () => {
  const files = readManifestFiles();
  const { manifests, problems } = parseManifests(files);

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

  it('define each kind and name once', () => {
    expect(duplicateProblems(loadManifests())).toEqual([]);
  });
});
