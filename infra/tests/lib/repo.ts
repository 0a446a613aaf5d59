import fs from 'fs';
import path from 'path';

export const repoRoot = path.resolve(__dirname, '../../..');

export const repoPath = (relative: string): string => path.join(repoRoot, relative);

export const readRepoFile = (relative: string): string => fs.readFileSync(repoPath(relative), 'utf8');

export const repoFileExists = (relative: string): boolean => fs.existsSync(repoPath(relative));

const skippedDirs = new Set(['node_modules', 'build', '.next', '.git', '.tools', '.data', 'coverage']);

/** Every file under a folder of the repo (relative to the root, with forward slashes), without dependencies or build output. */
export const listRepoFiles = (dir = '.'): string[] => {
  const walk = (relative: string): string[] =>
    fs.readdirSync(repoPath(relative), { withFileTypes: true }).flatMap((entry) => {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) return skippedDirs.has(entry.name) ? [] : walk(child);
      return entry.isFile() ? [child] : [];
    });
  return walk(dir);
};

/** The repository as the Dockerfile checks see it. */
export const repoBuildContext = () => ({
  exists: repoFileExists,
  read: (relative: string) => (repoFileExists(relative) ? readRepoFile(relative) : undefined),
  dockerignore: readRepoFile('.dockerignore').split(/\r?\n/),
});
