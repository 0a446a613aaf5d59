import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { deployedFiles, loadSkaffoldConfig } from './lib/fixtures';
import { loadManifests, Manifest } from './lib/manifests';
import { listRepoFiles, readRepoFile } from './lib/repo';
import { schemaProblems, unknownFieldProblems } from './lib/schema';
import { withProfile } from './lib/skaffold';

const seedDir = 'infra/k8s-seed';
const config = loadSkaffoldConfig();
const files = listRepoFiles();

const seedManifests = loadManifests(seedDir);
const isJob = (manifest: Manifest) => manifest.object.apiVersion === 'batch/v1' && manifest.object.kind === 'Job';
const jobs = seedManifests.filter(isJob).map((manifest) => manifest.object as unknown as IJob);

describe('the seed profile (demo data in the cluster)', () => {
  it('adds the seed Job of infra/k8s-seed to what skaffold deploys', () => {
    const deployed = deployedFiles(withProfile(config, 'seed'));
    expect(deployed.filter((file) => file.startsWith(`${seedDir}/`)).sort()).toEqual(
      files.filter((file) => file.startsWith(`${seedDir}/`) && /\.ya?ml$/.test(file)).sort(),
    );
    expect(jobs.map((job) => job.metadata?.name)).toEqual(['ticketing-seed']);
  });

  it.each([
    ['skaffold dev', config],
    ['the production profile', withProfile(config, 'production')],
  ])('is not deployed by %s', (_, built) => {
    expect(deployedFiles(built).filter((file) => file.startsWith(`${seedDir}/`))).toEqual([]);
    expect(loadManifests().filter(isJob)).toEqual([]);
  });

  it('validates against the official Kubernetes schema, with no field it does not know', () => {
    expect(schemaProblems(seedManifests)).toEqual([]);
    expect(unknownFieldProblems(seedManifests)).toEqual([]);
  });

  it('runs a pinned image, unprivileged', () => {
    for (const job of jobs) {
      const pod = job.spec?.template.spec;
      for (const container of pod?.containers ?? []) {
        expect(container.image).toMatch(/^[\w./-]+(:\d+\.\d+\.\d+[\w.-]*|@sha256:[0-9a-f]{64})$/);
        expect(container.securityContext?.runAsNonRoot ?? pod?.securityContext?.runAsNonRoot).toBe(true);
        expect(container.securityContext?.runAsUser ?? pod?.securityContext?.runAsUser).not.toBe(0);
        expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(container.securityContext?.privileged).not.toBe(true);
        expect(container.securityContext?.capabilities?.drop).toContain('ALL');
      }
    }
  });

  it('seeds the same users and tickets as `npm start -- --seed`', () => {
    const local = readRepoFile('local/src/system/seed.ts');
    const script = seedManifests.map((manifest) => JSON.stringify(manifest.object)).join('\n');
    const named = [...local.matchAll(/(?:email|title): '([^']+)'/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThanOrEqual(7);
    expect(named.filter((name) => !script.includes(name))).toEqual([]);
  });
});
