import Ajv from 'ajv';
import YAML from 'yaml';
import { Cluster, containersOf, describeWorkload } from './kube';

export interface SyncRule {
  src: string;
  dest: string;
  strip?: string;
}

export interface Artifact {
  image: string;
  context: string;
  docker: { dockerfile: string; target?: string; buildArgs?: Record<string, string> };
  sync?: { manual: SyncRule[] };
}

export interface JsonPatch {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

export interface SkaffoldConfig {
  apiVersion: string;
  kind: 'Config';
  metadata: { name: string };
  build: { local: { push: boolean; useBuildkit?: boolean }; artifacts: Artifact[] };
  manifests: { rawYaml: string[] };
  deploy: { kubectl: Record<string, never> };
  profiles?: { name: string; patches: JsonPatch[] }[];
}

const nonEmpty = { type: 'string', minLength: 1 } as const;

/**
 * The part of Skaffold's v4beta13 schema this repo uses, closed with
 * additionalProperties: false so that a misspelt field fails here instead of
 * being ignored (Skaffold publishes no npm schema; this mirrors the official JSON schema).
 */
export const skaffoldSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'build', 'manifests', 'deploy'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'skaffold/v4beta13' },
    kind: { const: 'Config' },
    metadata: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: nonEmpty } },
    build: {
      type: 'object',
      required: ['local', 'artifacts'],
      additionalProperties: false,
      properties: {
        local: {
          type: 'object',
          required: ['push'],
          additionalProperties: false,
          properties: { push: { type: 'boolean' }, useBuildkit: { type: 'boolean' } },
        },
        artifacts: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['image', 'context', 'docker'],
            additionalProperties: false,
            properties: {
              image: nonEmpty,
              context: nonEmpty,
              docker: {
                type: 'object',
                required: ['dockerfile'],
                additionalProperties: false,
                properties: {
                  dockerfile: nonEmpty,
                  target: nonEmpty,
                  buildArgs: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
              sync: {
                type: 'object',
                required: ['manual'],
                additionalProperties: false,
                properties: {
                  manual: {
                    type: 'array',
                    minItems: 1,
                    items: {
                      type: 'object',
                      required: ['src', 'dest'],
                      additionalProperties: false,
                      properties: { src: nonEmpty, dest: nonEmpty, strip: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    manifests: {
      type: 'object',
      required: ['rawYaml'],
      additionalProperties: false,
      properties: { rawYaml: { type: 'array', minItems: 1, items: nonEmpty } },
    },
    deploy: {
      type: 'object',
      required: ['kubectl'],
      additionalProperties: false,
      properties: { kubectl: { type: 'object', additionalProperties: false, properties: {} } },
    },
    profiles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'patches'],
        additionalProperties: false,
        properties: {
          name: nonEmpty,
          patches: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['op', 'path'],
              additionalProperties: false,
              properties: { op: { enum: ['add', 'remove', 'replace'] }, path: { type: 'string', pattern: '^/' }, value: {} },
            },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, strict: true }).compile<SkaffoldConfig>(skaffoldSchema);

export const parseSkaffold = (text: string): unknown => YAML.parse(text);

/** Validates against the schema above; returns the typed config, or the problems. */
export const checkSkaffold = (config: unknown): { config?: SkaffoldConfig; problems: string[] } => {
  if (validate(config)) return { config, problems: [] };
  return {
    problems: (validate.errors ?? []).map(
      (err) => `skaffold.yaml${err.instancePath || '/'}: ${err.message ?? 'invalid'} ${JSON.stringify(err.params)}`,
    ),
  };
};

/** Every image skaffold builds runs in some Deployment, and every Deployment image of ours is built by skaffold. */
export const imageProblems = (config: SkaffoldConfig, cluster: Cluster, ownImagePrefix = 'ticketing/'): string[] => {
  const built = new Set(config.build.artifacts.map((artifact) => artifact.image));
  const used = new Set(cluster.workloads.flatMap((deployment) => containersOf(deployment).map((container) => container.image ?? '')));
  return [
    ...[...built].filter((image) => !used.has(image)).map((image) => `skaffold builds ${image} but no Deployment runs it`),
    ...cluster.workloads.flatMap((deployment) =>
      containersOf(deployment)
        .filter((container) => (container.image ?? '').startsWith(ownImagePrefix) && !built.has(container.image ?? ''))
        .map((container) => `${describeWorkload(deployment)} runs ${container.image ?? ''}, which skaffold does not build`),
    ),
  ];
};

/** Resolves a JSON pointer in plain data; undefined when some step is missing. */
export const resolvePointer = (data: unknown, pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, part) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
      data,
    );

/** Profile patches that remove or replace point at something that exists, so reordering artifacts cannot silently break them. */
export const patchProblems = (config: SkaffoldConfig): string[] =>
  (config.profiles ?? []).flatMap((profile) =>
    profile.patches
      .filter((patch) => patch.op !== 'add' && resolvePointer(config, patch.path) === undefined)
      .map((patch) => `profile ${profile.name}: ${patch.op} ${patch.path} points at nothing`),
  );

type Container = Record<string, unknown> | unknown[];

/** The object or array a JSON pointer's last step lives in, and that step; undefined when the parent is missing. */
const pointerParent = (data: unknown, pointer: string): { parent: Container; key: string } | undefined => {
  const cut = pointer.lastIndexOf('/');
  const parent = resolvePointer(data, pointer.slice(0, cut));
  const key = pointer
    .slice(cut + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
  return parent !== null && typeof parent === 'object' ? { parent: parent as Container, key } : undefined;
};

const applyPatch = (data: unknown, patch: JsonPatch) => {
  const target = pointerParent(data, patch.path);
  if (!target) return;
  const { parent, key } = target;
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    parent.splice(index, patch.op === 'add' ? 0 : 1, ...(patch.op === 'remove' ? [] : [patch.value]));
  } else if (patch.op === 'remove') {
    delete parent[key];
  } else {
    parent[key] = patch.value;
  }
};

/** The config as skaffold builds it with a profile: its JSON patches applied, in order, to a copy. */
export const withProfile = (config: SkaffoldConfig, profileName: string): SkaffoldConfig => {
  const profiled = structuredClone(config);
  const profile = config.profiles?.find((candidate) => candidate.name === profileName);
  for (const patch of profile?.patches ?? []) applyPatch(profiled, patch);
  return profiled;
};

const describeArgs = (args: Record<string, string> | undefined) =>
  JSON.stringify(Object.fromEntries(Object.entries(args ?? {}).sort(([a], [b]) => a.localeCompare(b))));

/**
 * The production profile builds every artifact's final stage (each `target`, the
 * dev stage, is removed) from the same Dockerfile with the same build arguments.
 */
export const productionProfileProblems = (config: SkaffoldConfig, profileName = 'production'): string[] => {
  if (!config.profiles?.some((candidate) => candidate.name === profileName)) return [`skaffold.yaml has no ${profileName} profile`];
  const production = withProfile(config, profileName).build.artifacts;
  const label = `profile ${profileName}`;
  return config.build.artifacts.flatMap(({ image, docker }) => {
    const built = production.find((candidate) => candidate.image === image)?.docker;
    if (!built) return [`${label} builds no ${image}`];
    const problems: string[] = [];
    if (built.target !== undefined) problems.push(`${label} still builds ${image} at stage ${built.target}`);
    if (built.dockerfile !== docker.dockerfile)
      problems.push(`${label} builds ${image} from ${built.dockerfile}, not ${docker.dockerfile}`);
    if (describeArgs(built.buildArgs) !== describeArgs(docker.buildArgs))
      problems.push(
        `${label} builds ${image} with build arguments ${describeArgs(built.buildArgs)}, not ${describeArgs(docker.buildArgs)}`,
      );
    return problems;
  });
};

/**
 * `skaffold dev` keeps its images in the local engine (a development cluster shares or loads them), while the
 * production profile pushes them to the registry a real cluster pulls from.
 */
export const pushProblems = (config: SkaffoldConfig, profileName = 'production'): string[] => [
  ...(config.build.local.push ? ['skaffold dev pushes its development images to a registry'] : []),
  ...(withProfile(config, profileName).build.local.push ? [] : [`profile ${profileName} does not push its images (build.local.push)`]),
];

/**
 * A profile that swaps one folder of manifests for another (the event bus's server) deploys every other file as the
 * base does, none of the folder it replaces, and all of the one it brings.
 */
export const folderSwapProblems = (
  baseFiles: string[],
  profiledFiles: string[],
  swap: { from: string; to: string; profile: string },
): string[] => {
  const inFolder = (folder: string) => (file: string) => file.startsWith(`${folder.replace(/\/$/, '')}/`);
  const label = `profile ${swap.profile}`;
  const kept = baseFiles.filter((file) => !inFolder(swap.from)(file));
  const others = profiledFiles.filter((file) => !inFolder(swap.to)(file));
  return [
    ...kept.filter((file) => !others.includes(file)).map((file) => `${label} no longer deploys ${file}`),
    ...others.filter((file) => !kept.includes(file)).map((file) => `${label} deploys ${file}, which it should not`),
    ...(profiledFiles.some(inFolder(swap.to)) ? [] : [`${label} deploys nothing of ${swap.to}`]),
  ];
};

/** Every profile is shown in use in the docs: a `skaffold dev|run ... -p <name>` (alone or among others, comma-separated). */
export const undocumentedProfileProblems = (config: SkaffoldConfig, markdown: string): string[] => {
  const used = new Set(
    [...markdown.matchAll(/skaffold\s+(?:dev|run)\b[^\n`]*?\s(?:-p|--profile)[=\s]([\w,-]+)/g)].flatMap((match) => match[1].split(',')),
  );
  return (config.profiles ?? [])
    .filter((profile) => !used.has(profile.name))
    .map((profile) => `profile ${profile.name}: no \`skaffold dev -p ${profile.name}\` (or run) in the docs`);
};
