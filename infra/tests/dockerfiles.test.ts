import { artifactFolder, buildArgProblems, dockerfilePath, loadDockerfile } from './lib/artifacts';
import { loadSkaffoldConfig, repoBuildContext } from './lib/fixtures';
import { contextCopyProblems, finalImageProblems, isIgnored } from './lib/image-build';
import { workspacePeerProblems } from './lib/services';

const config = loadSkaffoldConfig();
const context = repoBuildContext();

describe.each(config.build.artifacts.map((artifact) => [dockerfilePath(artifact), artifactFolder(artifact), artifact] as const))(
  '%s, building %s',
  (_file, _folder, artifact) => {
    const dockerfile = loadDockerfile(artifact, context);

    it('builds a small, non-root, multi-stage image whose CMD runs what the build produces', () => {
      expect(dockerfile).toBeDefined();
      if (dockerfile) expect(finalImageProblems(dockerfile, context)).toEqual([]);
    });

    it('copies only what the build context holds', () => {
      if (dockerfile) expect(contextCopyProblems(dockerfile, context)).toEqual([]);
      expect(dockerfile?.stages.length).toBeGreaterThan(1);
    });

    it('is given a value for every build argument it uses, and declares every one skaffold passes', () => {
      if (dockerfile) expect(buildArgProblems(artifact, dockerfile)).toEqual([]);
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
