import path from 'path';
import { globToRegExp } from './glob';
import {
  baseImage,
  copyPaths,
  Dockerfile,
  execForm,
  findStage,
  finalWorkdir,
  Instruction,
  lastInstruction,
  Stage,
  stageChain,
} from './dockerfile';

/** What the checks need to know about the repository, so that tests can hand in a changed copy. */
export interface BuildContext {
  /** Does this file or folder exist in the repo (path relative to the root)? */
  exists(relative: string): boolean;
  read(relative: string): string | undefined;
  /** Lines of .dockerignore. */
  dockerignore: string[];
}

/** Whether .dockerignore keeps a context path out of the build (a pattern matching it or a folder above it). */
export const isIgnored = (relative: string, dockerignore: string[]): boolean => {
  const patterns = dockerignore.map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  let ignored = false;
  const parts = relative.split('/');
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const regexp = globToRegExp(pattern.replace(/^!/, '').replace(/^\/+|\/+$/g, ''));
    const matches = parts.some((_, i) => regexp.test(parts.slice(0, i + 1).join('/')));
    if (matches) ignored = !negated;
  }
  return ignored;
};

const inside = (parent: string, child: string) => child === parent || child.startsWith(`${parent.replace(/\/$/, '')}/`);

const readJson = (context: BuildContext, relative: string): Record<string, unknown> | undefined => {
  const text = context.read(relative);
  if (text === undefined) return undefined;
  // tsconfig files may carry comments and trailing commas.
  return JSON.parse(text.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1')) as Record<string, unknown>;
};

/** `tsc -b <project>` compiles <project>'s rootDir into its outDir, as the project's tsconfig.json in the repo says. */
const tscOutput = (run: Instruction, target: string, context: BuildContext): string | undefined => {
  const project = /\btsc\s+(?:-b|--build)\s+(\S+)/.exec(run.args)?.[1];
  if (!project) return undefined;
  const projectDir = path.posix.normalize(project.endsWith('.json') ? path.posix.dirname(project) : project);
  const options = (readJson(context, `${projectDir}/tsconfig.json`)?.compilerOptions ?? {}) as {
    rootDir?: string;
    outDir?: string;
  };
  if (!options.outDir) return undefined;
  const outDir = path.posix.join(run.workdir, projectDir, options.outDir);
  if (!inside(outDir, target) || !target.endsWith('.js')) return undefined;
  const source = path.posix.join(projectDir, options.rootDir ?? '.', path.posix.relative(outDir, target)).replace(/\.js$/, '.ts');
  return context.exists(source) && !isIgnored(source, context.dockerignore) ? `compiled from ${source} by \`${project}\`` : undefined;
};

/** The workspace folder a package name belongs to, from the root package.json's workspaces. */
const workspaceDir = (context: BuildContext, packageName: string): string | undefined => {
  const workspaces = (readJson(context, 'package.json')?.workspaces ?? []) as string[];
  return workspaces.find((dir) => readJson(context, `${dir}/package.json`)?.name === packageName);
};

/**
 * `next build` with `output: 'standalone'` writes <app>/.next/standalone/<app path from the
 * workspace root>/server.js, when the workspace root (where Next.js finds the lockfile) is the working directory.
 */
const nextOutput = (run: Instruction, target: string, context: BuildContext, has: (file: string) => boolean): string | undefined => {
  const workspace = /\bnpm\s+run\s+build\s+(?:--workspace[= ]|-w\s+)(\S+)/.exec(run.args)?.[1];
  const appDir = workspace ? workspaceDir(context, workspace) : undefined;
  if (!appDir) return undefined;
  const build = ((readJson(context, `${appDir}/package.json`)?.scripts ?? {}) as Record<string, unknown>).build;
  const script = typeof build === 'string' ? build : '';
  if (!/\bnext\s+build\b/.test(script)) return undefined;
  const config =
    ['next.config.ts', 'next.config.mjs', 'next.config.js'].map((name) => context.read(`${appDir}/${name}`)).find(Boolean) ?? '';
  if (!/output:\s*['"]standalone['"]/.test(config)) return undefined;
  const server = path.posix.join(run.workdir, appDir, '.next/standalone', appDir, 'server.js');
  if (target !== server || !has(path.posix.join(run.workdir, 'package-lock.json'))) return undefined;
  return `the standalone server of \`next build\` in ${appDir}`;
};

/** `npm ci` / `npm install` fills node_modules in the working directory. */
const npmOutput = (run: Instruction, target: string): string | undefined =>
  /\bnpm\s+(?:ci|install)\b/.test(run.args) && inside(path.posix.join(run.workdir, 'node_modules'), target)
    ? `installed by \`npm\``
    : undefined;

/**
 * Explains how a path comes to exist in a stage's filesystem, following COPY
 * (from the context or another stage) and the build commands above, newest
 * first; undefined if nothing puts it there.
 */
export const origin = (dockerfile: Dockerfile, stage: Stage, target: string, context: BuildContext): string | undefined => {
  for (const link of stageChain(dockerfile, stage)) {
    for (const instruction of [...link.instructions].reverse()) {
      if (instruction.keyword === 'RUN') {
        const has = (file: string) => origin(dockerfile, link, file, context) !== undefined;
        const made =
          tscOutput(instruction, target, context) ?? nextOutput(instruction, target, context, has) ?? npmOutput(instruction, target);
        if (made) return made;
      }
      if (instruction.keyword !== 'COPY') continue;
      const { sources, dest } = copyPaths(instruction);
      const destination = path.posix.resolve(instruction.workdir, dest);
      for (const source of sources) {
        // A folder's contents land in the destination; a file lands inside it when it ends with a slash.
        const fileInto = path.posix.join(destination, path.posix.basename(source));
        const into = dest.endsWith('/') && inside(fileInto, target) ? fileInto : destination;
        if (!inside(into, target)) continue;
        const sourcePath = path.posix.join(source, path.posix.relative(into, target));
        const from = instruction.flags.from;
        if (from === undefined) {
          const relative = path.posix.normalize(sourcePath).replace(/^\/+/, '');
          if (context.exists(relative) && !isIgnored(relative, context.dockerignore)) return `copied from the context's ${relative}`;
          continue;
        }
        const sourceStage = findStage(dockerfile, from);
        if (!sourceStage) return undefined;
        const found = origin(dockerfile, sourceStage, path.posix.resolve('/', sourcePath), context);
        if (found) return `${found}, copied from stage ${from}`;
      }
    }
  }
  return undefined;
};

const rootUsers = new Set(['root', '0', '0:0', 'root:root']);

/** The paths an exec-form command names: its program unless that is `node`, and arguments that look like paths. */
const commandPaths = (command: string[]): string[] =>
  command.filter((part, i) => (i === 0 && part !== 'node') || (part.includes('/') && !part.startsWith('-') && !part.includes('://')));

/** Checks a stage's CMD: exec form, and every path it names exists in the image. */
export const commandProblems = (dockerfile: Dockerfile, stage: Stage, context: BuildContext): string[] => {
  const label = `${dockerfile.file} stage ${stage.name ?? stage.index}`;
  const command = execForm(lastInstruction(dockerfile, stage, 'CMD'));
  if (!command) return [`${label}: CMD is missing or not in exec form, so signals would not reach the process`];
  const workdir = finalWorkdir(dockerfile, stage);
  return commandPaths(command)
    .filter((part) => !origin(dockerfile, stage, path.posix.resolve(workdir, part), context))
    .map((part) => `${label}: CMD names ${part}, which the build does not produce`);
};

const installsDevDependencies = (run: Instruction) =>
  /\bnpm\s+(?:ci|install)\b/.test(run.args) && !/--omit[= ]dev\b|--production\b/.test(run.args);

/** node_modules the final stage copies from a stage that installed dev dependencies. */
const devDependencyProblems = (dockerfile: Dockerfile, final: Stage): string[] =>
  final.instructions
    .filter((instruction) => instruction.keyword === 'COPY' && instruction.flags.from !== undefined)
    .flatMap((copy) => {
      const from = findStage(dockerfile, copy.flags.from);
      if (!from) return [];
      const carriesNodeModules = copyPaths(copy).sources.some(
        (source) => path.posix.resolve('/', source) === finalWorkdir(dockerfile, from) || source.includes('node_modules'),
      );
      const devInstall = stageChain(dockerfile, from)
        .flatMap((link) => link.instructions)
        .find((instruction) => instruction.keyword === 'RUN' && installsDevDependencies(instruction));
      if (!carriesNodeModules || !devInstall) return [];
      const stage = copy.flags.from;
      return [`${dockerfile.file}: the final stage copies node_modules from stage ${stage}, which installs dev dependencies`];
    });

/**
 * Checks the image a Dockerfile produces (its last stage): built in several
 * stages, on an alpine or slim base, as a user other than root, without dev
 * dependencies, running a command the build produces.
 */
export const finalImageProblems = (dockerfile: Dockerfile, context: BuildContext): string[] => {
  const { file, stages } = dockerfile;
  const final = stages.at(-1);
  if (!final) return [`${file}: no FROM`];
  const problems: string[] = [];
  if (stages.length < 2) problems.push(`${file}: not a multi-stage build`);
  const base = baseImage(dockerfile, final);
  if (!/-(?:alpine|slim)\b/.test(base)) problems.push(`${file}: the final stage is based on ${base}, not an alpine or slim image`);
  const user = lastInstruction(dockerfile, final, 'USER')?.args.trim();
  if (!user || rootUsers.has(user)) problems.push(`${file}: the final stage runs as ${user ?? 'root (no USER)'}`);
  return [...problems, ...devDependencyProblems(dockerfile, final), ...commandProblems(dockerfile, final, context)];
};

/** Every file or folder a COPY takes from the context exists and is not excluded by .dockerignore. */
export const contextCopyProblems = (dockerfile: Dockerfile, context: BuildContext): string[] =>
  dockerfile.stages.flatMap((stage) =>
    stage.instructions
      .filter((instruction) => instruction.keyword === 'COPY' && instruction.flags.from === undefined)
      .flatMap((copy) =>
        copyPaths(copy)
          .sources.map((source) => path.posix.normalize(source).replace(/\/$/, ''))
          .filter((source) => !context.exists(source) || isIgnored(source, context.dockerignore))
          .map((source) => `${dockerfile.file}:${copy.line}: COPY ${source}: not in the build context`),
      ),
  );
