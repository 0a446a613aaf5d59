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

/** `engines.node` of a package.json names the pinned major (`24.x`), so npm flags any other. */
export const enginesProblems = (packageJson: string, pinned: string): string[] => {
  const engines = (JSON.parse(packageJson) as { engines?: { node?: string } }).engines?.node;
  if (engines === undefined) return ['package.json has no engines.node'];
  return engines === `${majorOf(pinned)}.x` ? [] : [`package.json's engines.node is ${engines}, not ${majorOf(pinned)}.x (.node-version)`];
};
