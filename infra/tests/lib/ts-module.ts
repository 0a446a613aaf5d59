import ts from 'typescript';
import { readRepoFile } from './repo';

/**
 * Evaluates a TypeScript file of the repo that imports nothing at run time (type
 * imports are erased), such as client/next.config.ts: the checks run the code the
 * client runs, rather than reading its text. Its exports, unchecked.
 */
export const loadTsModule = (relative: string, text = readRepoFile(relative)): Record<string, unknown> => {
  const { outputText } = ts.transpileModule(text, {
    fileName: relative,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const sandbox = { exports: {} as Record<string, unknown> };
  const refuse = (name: string) => {
    throw new Error(`${relative} imports ${name} at run time; loadTsModule evaluates only self-contained files`);
  };
  type ModuleBody = (module: typeof sandbox, exports: Record<string, unknown>, require: typeof refuse) => void;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating the transpiled file is what this loader is for
  const body = new Function('module', 'exports', 'require', outputText) as ModuleBody;
  body(sandbox, sandbox.exports, refuse);
  return sandbox.exports;
};

/** An export that must be a function, for the caller to type. */
export const exportedFunction = (loaded: Record<string, unknown>, name: string, from: string): ((...args: never[]) => unknown) => {
  const value = loaded[name];
  if (typeof value !== 'function') throw new Error(`${from} exports no function ${name}`);
  return value as (...args: never[]) => unknown;
};
