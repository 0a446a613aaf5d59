import ts from 'typescript';

/** The health endpoints createApp serves, as its source declares them. */
export interface HealthEndpoints {
  /** Answers from isReady: the backing services (Mongo, Redis) are connected. */
  readiness: string;
  /** Answers without isReady: the process alone. */
  liveness: string;
}

const mentions = (node: ts.Node, name: string): boolean =>
  (ts.isIdentifier(node) && node.text === name) || (ts.forEachChild(node, (child) => mentions(child, name) || undefined) ?? false);

/**
 * Reads the `app.get('<path>', handler)` routes of common's create-app.ts: the
 * one whose handler calls isReady is the readiness endpoint, one whose handler
 * does not is the liveness endpoint. Throws if either is missing.
 */
export const readHealthEndpoints = (fileName: string, text: string): HealthEndpoints => {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const routes: { path: string; asksReadiness: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'get' &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'app'
    ) {
      const [path, handler] = node.arguments;
      if (path && ts.isStringLiteral(path) && handler && (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) {
        routes.push({ path: path.text, asksReadiness: mentions(handler.body, 'isReady') });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const readiness = routes.find((route) => route.asksReadiness)?.path;
  const liveness = routes.find((route) => !route.asksReadiness)?.path;
  if (!readiness) throw new Error(`${fileName}: no app.get route answers from isReady (readiness)`);
  if (!liveness) throw new Error(`${fileName}: no app.get route answers without isReady (liveness)`);
  return { readiness, liveness };
};
