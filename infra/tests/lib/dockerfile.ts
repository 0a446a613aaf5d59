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

export const parseDockerfile = (file: string, text: string): Dockerfile => {
  const stages: Stage[] = [];
  const workdirs = new Map<string, string>();
  let workdir = '/';
  for (const { text: line, line: number } of logicalLines(text)) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const { flags, args } = splitFlags(rest);
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [from = '', as, name] = args.split(/\s+/);
      const stage: Stage = { index: stages.length, from, instructions: [] };
      if (as?.toUpperCase() === 'AS' && name) stage.name = name;
      // A stage built on an earlier one starts in that stage's working directory.
      workdir = workdirs.get(from) ?? '/';
      stages.push(stage);
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${file}:${number}: ${upper} before any FROM`);
    if (upper === 'WORKDIR') workdir = path.posix.resolve(workdir, args);
    stage.instructions.push({ keyword: upper, flags, args, workdir, line: number });
    workdirs.set(stage.name ?? String(stage.index), workdir);
  }
  return { file, stages };
};

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
    return Array.isArray(parsed) && parsed.every((part) => typeof part === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
};

/** COPY's sources and destination, split on whitespace (this repo's Dockerfiles use no quoted paths). */
export const copyPaths = (instruction: Instruction): { sources: string[]; dest: string } => {
  const parts = instruction.args.split(/\s+/).filter(Boolean);
  return { sources: parts.slice(0, -1), dest: parts.at(-1) ?? '' };
};
