import { Dockerfile } from './dockerfile';
import { readRepoFile } from './repo';

/** The Node release `.node-version` pins: the one `npm start` and `npm test` install and run on. */
export const pinnedNodeVersion = (): string => readRepoFile('.node-version').trim();

export const majorOf = (version: string): string => version.replace(/^v/, '').split('.')[0] ?? '';

const officialNodeImage = /^(?:docker\.io\/)?(?:library\/)?node(?::(?<tag>[^@\s]+))?(?:@\S+)?$/;

/**
 * Every stage of a Dockerfile that starts from the official node image starts from the pinned release
 * (`node:<pinned>-alpine`), and at least one does: the images run the Node the tests ran on.
 */
export const nodeImageProblems = (dockerfile: Dockerfile, pinned: string): string[] => {
  const expected = `${pinned}-alpine`;
  const nodeStages = dockerfile.stages.filter((stage) => officialNodeImage.test(stage.from));
  if (nodeStages.length === 0) return [`${dockerfile.file}: no stage starts from the node image`];
  return nodeStages
    .filter((stage) => officialNodeImage.exec(stage.from)?.groups?.tag !== expected)
    .map(
      (stage) => `${dockerfile.file}: stage ${stage.name ?? stage.index} starts from ${stage.from}, not node:${expected} (.node-version)`,
    );
};

interface PackageJson {
  engines?: { node?: string };
  devDependencies?: Record<string, string>;
}

/**
 * package.json's `engines.node` names the pinned major (`24.x`), so npm flags any other, and `@types/node` is
 * that major's, so the code is type-checked against the API it runs on.
 */
export const packageNodeProblems = (packageJson: string, pinned: string): string[] => {
  const { engines, devDependencies } = JSON.parse(packageJson) as PackageJson;
  const major = majorOf(pinned);
  const types = devDependencies?.['@types/node'];
  return [
    ...(engines?.node === `${major}.x`
      ? []
      : [`package.json's engines.node is ${engines?.node ?? '(none)'}, not ${major}.x (.node-version)`]),
    ...(types !== undefined && majorOf(types.replace(/^[~^]/, '')) === major
      ? []
      : [`package.json's @types/node is ${types ?? '(none)'}, not of Node ${major} (.node-version)`]),
  ];
};
