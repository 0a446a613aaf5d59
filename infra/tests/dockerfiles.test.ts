import { artifactFolder, buildArgProblems, dockerfilePath, dockerfileProblems, loadDockerfile } from './lib/artifacts';
import { Dockerfile } from './lib/dockerfile';
import { loadSkaffoldConfig, repoBuildContext } from './lib/fixtures';
import { contextCopyProblems, finalImageProblems, isIgnored } from './lib/image-build';
import { workspacePeerProblems } from './lib/services';

const config = loadSkaffoldConfig();
const context = repoBuildContext();

describe.each(config.build.artifacts.map((artifact) => [dockerfilePath(artifact), artifactFolder(artifact), artifact] as const))(
  '%s, building %s',
  (_file, _folder, artifact) => {
    const problems = (check: (dockerfile: Dockerfile) => string[]) => dockerfileProblems(artifact, context, check);

    it('builds a small, non-root, multi-stage image whose CMD runs what the build produces', () => {
      expect(problems((dockerfile) => finalImageProblems(dockerfile, context))).toEqual([]);
    });

    it('copies only what the build context holds', () => {
      expect(problems((dockerfile) => contextCopyProblems(dockerfile, context))).toEqual([]);
      expect(loadDockerfile(artifact, context)?.stages.length).toBeGreaterThan(1);
    });

    it('is given a value for every build argument it uses, and declares every one skaffold passes', () => {
      expect(problems((dockerfile) => buildArgProblems(artifact, dockerfile))).toEqual([]);
    });
  },
);

describe('the production dependencies an image installs', () => {
  it('include the peer dependencies of the workspace packages it uses', () => {
    expect(workspacePeerProblems(config, context)).toEqual([]);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output and tests out of the build context', () => {
    const kept = [
      'node_modules',
      'auth/node_modules',
      'common/build',
      'client/.next',
      'auth/tsconfig.tsbuildinfo',
      'orders/src/__test__/new.test.ts',
      '.git',
    ];
    expect(kept.filter((file) => !isIgnored(file, context.dockerignore))).toEqual([]);
  });

  it('lets the sources and the lockfile in', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'common/src/index.ts',
      'auth/src/index.ts',
      'client/next.config.ts',
    ];
    expect(needed.filter((file) => isIgnored(file, context.dockerignore))).toEqual([]);
  });
});
