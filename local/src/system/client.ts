import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { repoRoot } from '../infra/tools';
import { ServiceProcess, ServiceProcessOptions } from './service-process';

const clientDir = path.join(repoRoot, 'client');
const buildId = path.join(clientDir, '.next/BUILD_ID');
const nextBin = path.join(repoRoot, 'node_modules/next/dist/bin/next');
// `output: 'standalone'` (next.config.ts): the traced server the Docker image runs, where `next start` does not work.
const standaloneDir = path.join(clientDir, '.next/standalone/client');
// A file Next serves without rendering a page: a page would ask the API, which is not up before the client is.
const HEALTH_PATH = '/icon.svg';

const newestSource = (dir: string): number =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    if (['node_modules', '.next'].includes(entry.name)) return newest;
    const full = path.join(dir, entry.name);
    const time = entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs;
    return Math.max(newest, time);
  }, 0);

/** `next build` when there is no build or a source file is newer than it. */
export const buildClientIfStale = (progress: (line: string) => void): void => {
  if (fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs >= newestSource(clientDir)) return;
  progress('client: building (next build, about a minute)');
  execFileSync(process.execPath, [nextBin, 'build'], {
    cwd: clientDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
};

/** Puts the static assets beside the standalone server, as the Docker image does (next build leaves them out). */
const copyStaticAssets = (): void => {
  fs.cpSync(path.join(clientDir, '.next/static'), path.join(standaloneDir, '.next/static'), { recursive: true });
  const publicDir = path.join(clientDir, 'public');
  if (fs.existsSync(publicDir)) fs.cpSync(publicDir, path.join(standaloneDir, 'public'), { recursive: true });
};

export const clientProcess = ({
  port,
  apiUrl,
  log,
  notice,
}: { port: number; apiUrl: string } & Pick<ServiceProcessOptions, 'log' | 'notice'>) => {
  copyStaticAssets();
  return new ServiceProcess({
    name: 'client',
    command: process.execPath,
    args: [path.join(standaloneDir, 'server.js')],
    cwd: standaloneDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      HOSTNAME: '127.0.0.1',
      PORT: String(port),
      SERVER_API_URL: apiUrl,
    },
    port,
    healthPath: HEALTH_PATH,
    log,
    notice,
  });
};
