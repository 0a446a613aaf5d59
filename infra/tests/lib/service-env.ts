import ts from 'typescript';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Cluster, findConfigMap } from './kube';

/** What a service's index.ts declares in its `runService({...})` call. */
export interface ServiceRequirements {
  name: string;
  env: string[];
  mongo: boolean;
  eventBus: boolean;
}

const propertyNamed = (object: ts.ObjectLiteralExpression, name: string) =>
  object.properties.find(
    (property): property is ts.PropertyAssignment | ts.ShorthandPropertyAssignment =>
      (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) &&
      ts.isIdentifier(property.name) &&
      property.name.text === name,
  );

const findRunServiceCall = (source: ts.SourceFile): ts.CallExpression | undefined => {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'runService') found = node;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

const booleanLiteral = (node: ts.Expression | undefined, fallback: boolean, what: string): boolean => {
  if (node === undefined) return fallback;
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  throw new Error(`${what} is not a literal true or false`);
};

/**
 * Reads the runService call of a service's index.ts. Only literals count, so a
 * value this reader cannot see is an error rather than a silently empty list.
 */
export const readServiceRequirements = (fileName: string, text: string): ServiceRequirements => {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const call = findRunServiceCall(source);
  const definition = call?.arguments[0];
  if (!definition || !ts.isObjectLiteralExpression(definition)) {
    throw new Error(`${fileName}: no runService({...}) call with an object literal`);
  }
  const initializer = (name: string) => {
    const property = propertyNamed(definition, name);
    if (property && ts.isShorthandPropertyAssignment(property)) throw new Error(`${fileName}: runService's ${name} is not a literal`);
    return property?.initializer;
  };

  const name = initializer('name');
  if (!name || !ts.isStringLiteral(name)) throw new Error(`${fileName}: runService's name is not a string literal`);
  const env = initializer('env');
  if (env && !ts.isArrayLiteralExpression(env)) throw new Error(`${fileName}: runService's env is not an array literal`);
  const envNames = (env ? [...env.elements] : []).map((element) => {
    if (!ts.isStringLiteralLike(element)) throw new Error(`${fileName}: runService's env holds a non-literal`);
    return element.text;
  });
  return {
    name: name.text,
    env: envNames,
    mongo: booleanLiteral(initializer('mongo'), false, `${fileName}: runService's mongo`),
    eventBus: booleanLiteral(initializer('eventBus'), true, `${fileName}: runService's eventBus`),
  };
};

/** The variables runService refuses to start without, as common/src/service/run-service.ts derives them. */
export const requiredEnv = (requirements: ServiceRequirements): string[] => [
  ...requirements.env,
  ...(requirements.mongo ? ['MONGO_URI'] : []),
  // The transport's variables (NATS Streaming, the default): eventBusEnvOf in common/src/bus/connect-event-bus.ts.
  ...(requirements.eventBus ? ['NATS_URL', 'NATS_CLUSTER_ID'] : []),
];

/**
 * The variables a container is sure to get: literal values, fields, required
 * Secret keys, and ConfigMap keys that exist in the manifests. Optional
 * references do not count; a reference to a ConfigMap or key that is not
 * there is a problem of its own.
 */
export const providedEnv = (container: IContainer, cluster: Cluster): { names: Set<string>; problems: string[] } => {
  const names = new Set<string>();
  const problems: string[] = [];
  for (const source of container.envFrom ?? []) {
    if (source.secretRef) {
      problems.push(`envFrom secretRef ${source.secretRef.name ?? ''} hides which keys the pod needs; use secretKeyRef per variable`);
    }
    const ref = source.configMapRef;
    if (!ref) continue;
    const configMap = findConfigMap(cluster, ref.name ?? '');
    if (!configMap) {
      if (!ref.optional) problems.push(`envFrom: no ConfigMap named ${ref.name ?? ''}`);
      continue;
    }
    for (const key of Object.keys(configMap.data ?? {})) names.add(`${source.prefix ?? ''}${key}`);
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (variable.value !== undefined || from?.fieldRef || from?.resourceFieldRef) names.add(variable.name);
    else if (from?.secretKeyRef) {
      if (!from.secretKeyRef.optional) names.add(variable.name);
    } else if (from?.configMapKeyRef) {
      const { name = '', key, optional } = from.configMapKeyRef;
      const configMap = findConfigMap(cluster, name);
      if (configMap?.data?.[key] !== undefined) names.add(variable.name);
      else if (!optional) problems.push(`${variable.name}: no key ${key} in a ConfigMap named ${name}`);
    }
  }
  return { names, problems };
};

export const missingEnvProblems = (container: IContainer, cluster: Cluster, required: string[]): string[] => {
  const { names, problems } = providedEnv(container, cluster);
  return [...problems, ...required.filter((name) => !names.has(name)).map((name) => `${name} is required but not provided`)];
};
