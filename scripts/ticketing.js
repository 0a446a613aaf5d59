#!/usr/bin/env node
// The commands of the README. Dependency-free on purpose: it runs on a fresh
// clone, installs what is missing (npm packages, then the local infrastructure
// tools on first use), builds, and hands over to the compiled `local` package.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const step = (message) => console.log(`[ticketing] ${message}`);
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

const ensureDependencies = () => {
  const installed = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  step('installing npm dependencies (npm ci)');
  try {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } catch {
    // npm 11's `ci` also wants the lockfile to list every other platform's optional binaries,
    // which a partial registry mirror may not serve; `install` still takes the locked versions.
    step('npm ci refused the lockfile; installing the locked versions with npm install');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
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
  };
  if (!commands[command]) {
    console.error(`usage: ticketing.js <${Object.keys(commands).join('|')}> [options]`);
    process.exit(2);
  }
  ensureDependencies();
  build();
  process.exitCode = await commands[command]();
};

main().catch((err) => {
  console.error(`[ticketing] ${err.message ?? err}`);
  process.exit(1);
});
