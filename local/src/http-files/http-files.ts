import fs from 'fs';
import path from 'path';
import { repoRoot } from '../infra/tools';

/** One request of a `.http` file, as VS Code REST Client reads it: `{{…}}` still unresolved. */
export interface HttpRequest {
  title: string;
  /** From `# @name x`: later requests read its response as `{{x.response…}}`. */
  name?: string;
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}

export interface HttpFile {
  file: string;
  variables: Record<string, string>;
  requests: HttpRequest[];
}

export interface HttpResult {
  file: string;
  title: string;
  method: string;
  url: string;
  status: number;
}

interface Response {
  body: unknown;
  headers: Headers;
}

export const httpFolder = path.join(repoRoot, 'http');

const isComment = (line: string) => line.startsWith('#') || line.startsWith('//');

const parseBlock = (lines: string[], title: string): HttpRequest | undefined => {
  const name = lines.map((line) => /^(?:#|\/\/)\s*@name\s+(\S+)/.exec(line)?.[1]).find(Boolean);
  const start = lines.findIndex((line) => line.trim() !== '' && !isComment(line) && !line.startsWith('@'));
  if (start === -1) return undefined;
  const [method, url] = lines[start].trim().split(/\s+/);
  const rest = lines.slice(start + 1).filter((line) => !isComment(line));
  const blank = rest.findIndex((line) => line.trim() === '');
  const headerLines = blank === -1 ? rest : rest.slice(0, blank);
  const body =
    blank === -1
      ? ''
      : rest
          .slice(blank + 1)
          .join('\n')
          .trim();
  const headers = headerLines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
  return { title, name, method, url, headers, ...(body ? { body } : {}) };
};

/** Requests are separated by `###` lines (the rest of the line is its title); `@x = v` lines are file variables. */
export const parseHttpFile = (file: string, text: string): HttpFile => {
  const variables: Record<string, string> = {};
  for (const match of text.matchAll(/^@([\w-]+)\s*=\s*(.*)$/gm)) variables[match[1]] = match[2].trim();
  const blocks = text.split(/^###/m);
  const requests = blocks
    .map((block, index) => {
      const [first, ...lines] = block.split('\n');
      return parseBlock(index === 0 ? [first, ...lines] : lines, index === 0 ? '' : first.trim());
    })
    .filter((request): request is HttpRequest => request !== undefined);
  return { file, variables, requests };
};

export const readHttpFiles = (): HttpFile[] =>
  fs
    .readdirSync(httpFolder)
    .filter((file) => file.endsWith('.http'))
    .sort()
    .map((file) => parseHttpFile(file, fs.readFileSync(path.join(httpFolder, file), 'utf8')));

/** `$.a.b` or `a.b` into the JSON body. */
const pathInto = (body: unknown, jsonPath: string): unknown =>
  jsonPath
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), body);

/** What REST Client puts in place of `{{expression}}`: a system variable, a file variable, or part of an earlier response. */
const resolve = (text: string, file: HttpFile, responses: Map<string, Response>, overrides: Record<string, string>): string =>
  text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_whole, expression: string) => {
    if (expression === '$timestamp') return String(Math.floor(Date.now() / 1000));
    if (expression in overrides) return overrides[expression];
    if (expression in file.variables) return resolve(file.variables[expression], file, responses, overrides);
    const [name, part, kind, ...rest] = expression.split('.');
    const response = responses.get(name);
    if (!response || part !== 'response') throw new Error(`${file.file}: {{${expression}}} names no variable or earlier response`);
    const value = kind === 'headers' ? response.headers.get(rest.join('.')) : pathInto(response.body, rest.join('.'));
    if (value === undefined || value === null) throw new Error(`${file.file}: {{${expression}}} is empty`);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });

const send = async (request: HttpRequest, url: string, headers: [string, string][], body?: string) => {
  const res = await fetch(url, { method: request.method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: kept as text.
  }
  return { status: res.status, response: { body: parsed, headers: res.headers } };
};

// The services learn of each other's records through events: a request for one just created may 404 for a moment.
const RETRY_404_MS = 10_000;

/** Sends a file's requests in order, as a person clicking "Send Request" down the file would. */
export const runHttpFile = async (file: HttpFile, overrides: Record<string, string>): Promise<HttpResult[]> => {
  const responses = new Map<string, Response>();
  const results: HttpResult[] = [];
  for (const request of file.requests) {
    const url = resolve(request.url, file, responses, overrides);
    const headers = request.headers.map(([key, value]): [string, string] => [key, resolve(value, file, responses, overrides)]);
    const body = request.body === undefined ? undefined : resolve(request.body, file, responses, overrides);
    const deadline = Date.now() + RETRY_404_MS;
    let sent = await send(request, url, headers, body);
    while (sent.status === 404 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      sent = await send(request, url, headers, body);
    }
    if (request.name) responses.set(request.name, sent.response);
    results.push({ file: file.file, title: request.title, method: request.method, url, status: sent.status });
  }
  return results;
};
