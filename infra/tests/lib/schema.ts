import path from 'path';
import ts from 'typescript';
import { describeManifest, Manifest } from './manifests';
import { repoPath } from './repo';

interface ModelClass {
  new (data: object): { validate(): void };
}

const apiVersionPattern = /^(?:[a-z0-9.-]+\/)?v\d+(?:(?:alpha|beta)\d+)?$/;
const kindPattern = /^[A-Z][A-Za-z0-9]*$/;

/** kubernetes-models keeps one module per kind: `kubernetes-models/<apiVersion>/<Kind>`. */
const modelModule = (object: Record<string, unknown>): { module: string; kind: string } | undefined => {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  if (!apiVersionPattern.test(apiVersion) || !kindPattern.test(kind)) return undefined;
  return { module: `kubernetes-models/${apiVersion}/${kind}`, kind };
};

const loadModel = (object: Record<string, unknown>): ModelClass | undefined => {
  const found = modelModule(object);
  if (!found) return undefined;
  try {
    // The model's module is named only at run time, and a dynamic import() would make the check asynchronous.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(found.module) as Record<string, unknown>;
    const model = exported[found.kind];
    return typeof model === 'function' ? (model as ModelClass) : undefined;
  } catch {
    return undefined;
  }
};

/** Validates each object against the official Kubernetes OpenAPI schema that kubernetes-models ships. */
export const schemaProblems = (manifests: Manifest[]): string[] =>
  manifests.flatMap((manifest) => {
    const Model = loadModel(manifest.object);
    if (!Model) {
      return [
        `${describeManifest(manifest)}: no Kubernetes schema for ${String(manifest.object.apiVersion)} ${String(manifest.object.kind)}`,
      ];
    }
    try {
      new Model(manifest.object).validate();
      return [];
    } catch (err) {
      return [`${describeManifest(manifest)}: ${(err as Error).message}`];
    }
  });

/**
 * The OpenAPI schema lets unknown fields through, as `kubectl apply` does not
 * (strict field validation): a misspelt `readinesProbe` would be ignored
 * silently. Type-checking each object against the kind's TypeScript interface
 * from kubernetes-models catches it, as an excess property of an object literal.
 */
export const unknownFieldProblems = (manifests: Manifest[]): string[] => {
  const virtualFile = repoPath('infra/__manifests__.ts');
  const owners: Manifest[] = [];
  const lines: string[] = [];
  for (const manifest of manifests) {
    const found = modelModule(manifest.object);
    if (!found) continue; // schemaProblems reports it
    const id = owners.push(manifest) - 1;
    lines.push(`import type { I${found.kind} as Type${id} } from '${found.module}';`);
    lines.push(`export const object${id}: Type${id} = ${JSON.stringify(manifest.object)};`);
  }

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const source = lines.join('\n');
  const isVirtual = (fileName: string) => path.resolve(fileName) === virtualFile;
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    isVirtual(fileName) ? ts.createSourceFile(fileName, source, language) : getSourceFile(fileName, language, ...rest);
  host.fileExists = (fileName) => isVirtual(fileName) || fileExists(fileName);
  host.readFile = (fileName) => (isVirtual(fileName) ? source : readFile(fileName));

  const program = ts.createProgram({ rootNames: [virtualFile], options, host });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (!diagnostic.file || diagnostic.start === undefined || !isVirtual(diagnostic.file.fileName)) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const owner = owners[Math.floor(line / 2)];
    return owner ? `${describeManifest(owner)}: ${message}` : message;
  });
};
