import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const toolsBin = process.env.TICKETING_TOOLS_BIN ?? path.join(repoRoot, '.tools/bin');

export type Tool = 'ferretdb' | 'nats-streaming-server' | 'nats-server' | 'stripe-mock' | 'prometheus' | 'zipkin' | 'redis' | 'chromium';

const onPath = (command: string): string | undefined =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, command))
    .find((candidate) => fs.existsSync(candidate));

const binaryOf: Record<Tool, () => string | undefined> = {
  ferretdb: () => existing(path.join(toolsBin, 'ferretdb')),
  'nats-streaming-server': () => existing(path.join(toolsBin, 'nats-streaming-server')),
  'nats-server': () => existing(path.join(toolsBin, 'nats-server')),
  'stripe-mock': () => existing(path.join(toolsBin, 'stripe-mock')),
  prometheus: () => existing(path.join(toolsBin, 'prometheus')),
  // Zipkin's server jar, which `java -jar` runs.
  zipkin: () => existing(path.join(toolsBin, 'zipkin.jar')),
  redis: () => onPath('redis-server'),
  chromium: () => onPath('chromium'),
};

const existing = (file: string) => (fs.existsSync(file) ? file : undefined);

/** Tools the install script checks beyond "the binary exists" (ferretdb: built with the current patches; zipkin: the pinned release). */
const checkedByScript: Tool[] = ['ferretdb', 'zipkin'];
const checked = new Set<Tool>();

/** Path of a tool's binary (or jar), installing it first (Go build, Maven or apt-get) when missing. */
export const ensureTool = (tool: Tool): string => {
  const found = binaryOf[tool]();
  const needsCheck = checkedByScript.includes(tool) && !checked.has(tool);
  if (found && !needsCheck) return found;
  execFileSync('bash', [path.join(repoRoot, 'local/scripts/install-tools.sh'), tool], { stdio: 'inherit' });
  checked.add(tool);
  const installed = binaryOf[tool]();
  if (!installed) throw new Error(`${tool} is still missing after installing it`);
  return installed;
};
