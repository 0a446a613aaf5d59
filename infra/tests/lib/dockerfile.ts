import path from 'path';

export interface Instruction {
  keyword: string;
  /** `--name=value` options before the arguments (COPY --from, RUN --mount, FROM --platform). */
  flags: Record<string, string>;
  /** The arguments after the flags, as written. */
  args: string;
  /** Container working directory when the instruction runs. */
  workdir: string;
  line: number;
}

export interface Stage {
  index: number;
  name?: string;
  /** An image reference, or the name of an earlier stage. */
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  file: string;
  stages: Stage[];
}

/** `--build-arg` values: what skaffold's `buildArgs` passes. */
export type BuildArgs = Record<string, string>;

/** The build arguments a stage sees: declared by ARG in it or in the stage it is built on, with their value if any. */
type ArgScope = Map<string, string | undefined>;

/** Joins `\`-continued lines and drops comments and parser directives, keeping each instruction's first line number. */
const logicalLines = (text: string): { text: string; line: number }[] => {
  const lines: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (!current && trimmed === '')) return;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    current = current ? { ...current, text: `${current.text} ${part}` } : { text: part, line: index + 1 };
    if (!continued) {
      lines.push(current);
      current = undefined;
    }
  });
  if (current) lines.push(current);
  return lines;
};

const splitFlags = (rest: string): { flags: Record<string, string>; args: string } => {
  const flags: Record<string, string> = {};
  let args = rest;
  for (;;) {
    const match = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(args);
    if (!match) return { flags, args };
    flags[match[1]] = match[2] ?? 'true';
    args = args.slice(match[0].length);
  }
};

// Docker expands variables in these instructions' arguments; RUN's shell sees build arguments as its environment.
const expanding = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'RUN', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

const variableReference = /\$(?:\{(\w+)\}|(\w+))/g;

/** Replaces `$NAME` and `${NAME}` of the build arguments that have a value; leaves every other reference as written. */
const expand = (text: string, scope: ArgScope): string =>
  text.replace(
    variableReference,
    (reference: string, braced: string | undefined, bare: string | undefined) => scope.get(braced ?? bare ?? '') ?? reference,
  );

/** The names an ARG instruction declares (`ARG NAME` or `ARG NAME=default`), with their defaults. */
const argDeclarations = (args: string): { name: string; fallback?: string }[] =>
  args
    .split(/\s+/)
    .filter(Boolean)
    .map((declaration) => {
      const [name = '', ...value] = declaration.split('=');
      return value.length > 0 ? { name, fallback: value.join('=').replace(/^(["'])(.*)\1$/, '$2') } : { name };
    });

/** Each declared argument takes the build argument's value, else its default. */
const declareArgs = (args: string, scope: ArgScope, buildArgs: BuildArgs) => {
  for (const { name, fallback } of argDeclarations(args)) scope.set(name, buildArgs[name] ?? fallback);
};

/**
 * Parses a Dockerfile as it builds with `buildArgs`: build arguments declared by
 * ARG inside a stage (or the stage it is built on) are expanded where Docker
 * expands them. CMD and ENTRYPOINT stay as written, as Docker leaves them.
 */
export const parseDockerfile = (file: string, text: string, buildArgs: BuildArgs = {}): Dockerfile => {
  const stages: Stage[] = [];
  const workdirs = new Map<string, string>();
  const scopes = new Map<string, ArgScope>();
  let scope: ArgScope = new Map();
  let workdir = '/';
  for (const { text: line, line: number } of logicalLines(text)) {
    const [, keyword = '', written = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    const rest = expanding.has(upper) ? expand(written, scope) : written;
    const { flags, args } = splitFlags(rest);
    if (upper === 'FROM') {
      const [from = '', as, name] = args.split(/\s+/);
      const stage: Stage = { index: stages.length, from, instructions: [] };
      if (as?.toUpperCase() === 'AS' && name) stage.name = name;
      // A stage built on an earlier one starts in that stage's working directory, with its build arguments.
      workdir = workdirs.get(from) ?? '/';
      scope = new Map(scopes.get(from));
      stages.push(stage);
      continue;
    }
    const stage = stages.at(-1);
    // These checks model build arguments declared inside stages only, not global ones before the first FROM.
    if (!stage) throw new Error(`${file}:${number}: ${upper} before any FROM`);
    if (upper === 'WORKDIR') workdir = path.posix.resolve(workdir, args);
    if (upper === 'ARG') declareArgs(args, scope, buildArgs);
    stage.instructions.push({ keyword: upper, flags, args, workdir, line: number });
    workdirs.set(stage.name ?? String(stage.index), workdir);
    scopes.set(stage.name ?? String(stage.index), scope);
  }
  return { file, stages };
};

/** The build arguments a Dockerfile declares, in any stage. */
export const declaredArgs = (dockerfile: Dockerfile): Set<string> =>
  new Set(
    dockerfile.stages
      .flatMap((stage) => stage.instructions.filter((instruction) => instruction.keyword === 'ARG'))
      .flatMap((instruction) => argDeclarations(instruction.args))
      .map(({ name }) => name),
  );

/**
 * References left unexpanded where a path or a user is named (this repo's
 * Dockerfiles name only build arguments there): the stage does not declare the
 * argument, or nothing gives it a value, and Docker would put an empty string.
 */
export const unexpandedProblems = (dockerfile: Dockerfile): string[] =>
  dockerfile.stages.flatMap((stage) =>
    stage.instructions
      .filter((instruction) => ['ADD', 'COPY', 'USER', 'WORKDIR'].includes(instruction.keyword))
      .flatMap((instruction) =>
        [...instruction.args.matchAll(variableReference)].map(
          ([reference]) =>
            `${dockerfile.file}:${instruction.line}: ${instruction.keyword} names ${reference}, which is no build argument with a value in stage ${stage.name ?? stage.index}`,
        ),
      ),
  );

export const findStage = (dockerfile: Dockerfile, nameOrIndex: string): Stage | undefined =>
  dockerfile.stages.find((stage) => stage.name === nameOrIndex || String(stage.index) === nameOrIndex);

/** The stage itself, then the stages it is built on, nearest first. */
export const stageChain = (dockerfile: Dockerfile, stage: Stage): Stage[] => {
  const base = dockerfile.stages.slice(0, stage.index).find((candidate) => candidate.name === stage.from);
  return base ? [stage, ...stageChain(dockerfile, base)] : [stage];
};

/** The image a stage finally rests on, following stages built on stages. */
export const baseImage = (dockerfile: Dockerfile, stage: Stage): string => stageChain(dockerfile, stage).at(-1)?.from ?? '';

/** The last instruction of a kind that applies to a stage, including the stages it is built on. */
export const lastInstruction = (dockerfile: Dockerfile, stage: Stage, keyword: string): Instruction | undefined => {
  for (const link of stageChain(dockerfile, stage)) {
    const found = link.instructions.filter((instruction) => instruction.keyword === keyword).at(-1);
    if (found) return found;
  }
  return undefined;
};

/** The working directory at the end of a stage. */
export const finalWorkdir = (dockerfile: Dockerfile, stage: Stage): string =>
  stageChain(dockerfile, stage)
    .find((link) => link.instructions.length > 0)
    ?.instructions.at(-1)?.workdir ?? '/';

/** CMD/ENTRYPOINT in exec form (a JSON array), or undefined for the shell form. */
export const execForm = (instruction: Instruction | undefined): string[] | undefined => {
  if (!instruction) return undefined;
  try {
    const parsed: unknown = JSON.parse(instruction.args);
    return Array.isArray(parsed) && parsed.every((part) => typeof part === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
};

/** COPY's sources and destination, split on whitespace (this repo's Dockerfiles use no quoted paths). */
export const copyPaths = (instruction: Instruction): { sources: string[]; dest: string } => {
  const parts = instruction.args.split(/\s+/).filter(Boolean);
  return { sources: parts.slice(0, -1), dest: parts.at(-1) ?? '' };
};
