import path from 'path';
import { declaredArgs, parseDockerfile, Dockerfile, findStage, finalWorkdir, unexpandedProblems } from './dockerfile';
import { matchGlob } from './glob';
import { BuildContext, commandProblems, isIgnored, origin } from './image-build';
import type { Artifact, SkaffoldConfig } from './skaffold';

/** The Dockerfile of an artifact, path relative to the repo root. */
export const dockerfilePath = (artifact: Artifact): string => path.posix.join(artifact.context, artifact.docker.dockerfile);

/**
 * The workspace folder an artifact builds: the one its SERVICE build argument
 * names (the services' shared Dockerfile), else the folder that holds its Dockerfile.
 */
export const artifactFolder = (artifact: Artifact): string =>
  artifact.docker.buildArgs?.SERVICE ?? path.posix.dirname(dockerfilePath(artifact));

/** The artifact's Dockerfile as it builds with the artifact's build arguments, named after both. */
export const loadDockerfile = (artifact: Artifact, context: BuildContext): Dockerfile | undefined => {
  const file = dockerfilePath(artifact);
  const text = context.read(file);
  const args = Object.entries(artifact.docker.buildArgs ?? {}).map(([name, value]) => `${name}=${value}`);
  const label = args.length > 0 ? `${file} [${args.join(' ')}]` : file;
  return text === undefined ? undefined : parseDockerfile(label, text, artifact.docker.buildArgs);
};

/** The problems `check` finds in the artifact's Dockerfile, or that there is no Dockerfile to check. */
export const dockerfileProblems = (artifact: Artifact, context: BuildContext, check: (dockerfile: Dockerfile) => string[]): string[] => {
  const dockerfile = loadDockerfile(artifact, context);
  return dockerfile ? check(dockerfile) : [`no Dockerfile at ${dockerfilePath(artifact)}`];
};

/** Every build argument the artifact passes is one its Dockerfile declares, and every one the Dockerfile uses gets a value. */
export const buildArgProblems = (artifact: Artifact, dockerfile: Dockerfile): string[] => {
  const declared = declaredArgs(dockerfile);
  return [
    ...Object.keys(artifact.docker.buildArgs ?? {})
      .filter((name) => !declared.has(name))
      .map((name) => `artifact ${artifact.image}: passes ${name}, which ${dockerfile.file} does not declare with ARG`),
    ...unexpandedProblems(dockerfile),
  ];
};

/** A sync rule copies <src match minus strip> to <dest> under the container's working directory. */
const syncedPath = (file: string, rule: { dest: string; strip?: string }, workdir: string) =>
  path.posix.resolve(workdir, rule.dest, rule.strip && file.startsWith(rule.strip) ? file.slice(rule.strip.length) : file);

/**
 * The image skaffold builds for an artifact: its Dockerfile exists, the target
 * stage exists and its CMD names paths the build produces, and each file
 * sync rule matches sources that land on files the stage already has (so the
 * sync replaces what the running process reads).
 */
export const artifactProblems = (artifact: Artifact, context: BuildContext, files: string[]): string[] => {
  const label = `artifact ${artifact.image}`;
  const dockerfile = loadDockerfile(artifact, context);
  if (!dockerfile) return [`${label}: no Dockerfile at ${dockerfilePath(artifact)}`];
  const stage = artifact.docker.target ? findStage(dockerfile, artifact.docker.target) : dockerfile.stages.at(-1);
  if (!stage) return [`${label}: ${dockerfile.file} has no stage ${artifact.docker.target ?? ''}`];

  const contextFiles = files
    .filter((file) => file.startsWith(artifact.context === '.' ? '' : `${artifact.context}/`))
    .filter((file) => !isIgnored(file, context.dockerignore));
  const workdir = finalWorkdir(dockerfile, stage);
  const syncProblems = (artifact.sync?.manual ?? []).flatMap((rule) => {
    const matched = matchGlob(rule.src, contextFiles);
    if (matched.length === 0) return [`${label}: sync ${rule.src} matches no file of the build context`];
    return matched
      .filter((file) => !origin(dockerfile, stage, syncedPath(file, rule, workdir), context))
      .map(
        (file) =>
          `${label}: sync puts ${file} at ${syncedPath(file, rule, workdir)}, where stage ${stage.name ?? stage.index} has no such file`,
      );
  });
  return [...buildArgProblems(artifact, dockerfile), ...commandProblems(dockerfile, stage, context), ...syncProblems];
};

/** Every rawYaml pattern of skaffold.yaml picks up manifest files. */
export const rawYamlProblems = (config: SkaffoldConfig, files: string[]): string[] =>
  config.manifests.rawYaml
    .filter((pattern) => matchGlob(pattern, files).filter((file) => /\.ya?ml$/.test(file)).length === 0)
    .map((pattern) => `skaffold.yaml manifests.rawYaml ${pattern} matches no manifest`);

/** Each backend service's image (ticketing/<folder>) comes from the services' one Dockerfile, told its folder by SERVICE. */
export const sharedDockerfileProblems = (config: SkaffoldConfig, services: string[], dockerfile = 'Dockerfile'): string[] =>
  services.flatMap((service) => {
    const image = `ticketing/${service}`;
    const artifact = config.build.artifacts.find((candidate) => candidate.image === image);
    if (!artifact) return [`skaffold.yaml builds no ${image}`];
    const problems: string[] = [];
    const file = dockerfilePath(artifact);
    if (file !== dockerfile) problems.push(`${image} is built from ${file}, not the services' ${dockerfile}`);
    const given = artifact.docker.buildArgs?.SERVICE;
    if (given !== service) problems.push(`${image} is built with SERVICE=${given ?? '(none)'}, not SERVICE=${service}`);
    return problems;
  });
