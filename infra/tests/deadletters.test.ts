import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { builtImages, deployedFiles, loadCluster, loadSkaffoldConfig } from './lib/fixtures';
import { isDeployment, nameOf } from './lib/kube';
import { loadManifests, Manifest } from './lib/manifests';
import { allows } from './lib/network';
import { listRepoFiles } from './lib/repo';
import { schemaProblems, unknownFieldProblems } from './lib/schema';
import { withProfile } from './lib/skaffold';

const dir = 'infra/k8s-deadletters';
const config = loadSkaffoldConfig();
const files = listRepoFiles();

const manifests = loadManifests(dir);
const isJob = (manifest: Manifest) => manifest.object.apiVersion === 'batch/v1' && manifest.object.kind === 'Job';
const jobs = manifests.filter(isJob).map((manifest) => manifest.object as unknown as IJob);

describe('the deadletters profile (the dead-letter command as a one-off Job)', () => {
  it('adds the Job of infra/k8s-deadletters to what skaffold deploys, and only that profile does', () => {
    const deployed = deployedFiles(withProfile(config, 'deadletters'));
    expect(deployed.filter((file) => file.startsWith(`${dir}/`)).sort()).toEqual(
      files.filter((file) => file.startsWith(`${dir}/`) && /\.ya?ml$/.test(file)).sort(),
    );
    expect(jobs.map((job) => job.metadata?.name)).toEqual(['ticketing-deadletters']);
    for (const built of [config, withProfile(config, 'production')])
      expect(deployedFiles(built).filter((file) => file.startsWith(`${dir}/`))).toEqual([]);
  });

  it('validates against the official Kubernetes schema, with no field it does not know', () => {
    expect(schemaProblems(manifests)).toEqual([]);
    expect(unknownFieldProblems(manifests)).toEqual([]);
  });

  it('runs the compiled command of common/src/bin in an image skaffold builds, unprivileged', () => {
    const [container] = jobs[0].spec?.template.spec?.containers ?? [];
    expect(builtImages(config).has(container.image ?? '')).toBe(true);
    expect(container.command).toEqual(['node', '/app/common/build/bin/deadletters.js']);
    expect(files).toContain('common/src/bin/deadletters.ts');
    expect(container.args).toEqual(['list']);
    const pod = jobs[0].spec?.template.spec;
    expect(pod?.securityContext?.runAsNonRoot).toBe(true);
    expect(pod?.securityContext?.runAsUser).not.toBe(0);
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('reaches NATS as a user of its own, its password from nats-secret, admitted by its network policy', () => {
    const [container] = jobs[0].spec?.template.spec?.containers ?? [];
    expect(container.env?.find((variable) => variable.name === 'NATS_URL')?.value).toBe(
      'nats://deadletters:$(NATS_PASSWORD)@nats-srv:4222',
    );
    expect(container.env?.find((variable) => variable.name === 'NATS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
      name: 'nats-secret',
      key: 'NATS_DEADLETTERS_PASSWORD',
    });
    const cluster = loadCluster();
    const nats = cluster.workloads.filter(isDeployment).find((workload) => nameOf(workload) === 'nats-depl');
    if (!nats) throw new Error('no Deployment nats-depl');
    const labels = jobs[0].spec?.template.metadata?.labels ?? {};
    expect(allows(cluster, { description: 'the deadletters Job', labels }, nats, 4222)).toBe(true);
    expect(allows(cluster, { description: 'a stranger', labels: { app: 'stranger' } }, nats, 4222)).toBe(false);
  });
});
