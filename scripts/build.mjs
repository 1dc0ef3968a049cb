#!/usr/bin/env node
// The one build of src/ into dist/, used by `npm run build`, `npm start`, `npm test`,
// `npm run bench`, `npm run fuzz` and ./your_program.sh.
//
// Without --force it builds only when dist/ is missing or older than the sources (any file or
// folder under src/, tsconfig.json, package.json), so starting the server costs no compile.
// tsc writes into a fresh sibling folder, which replaces dist/ by rename only once it is
// complete and error-free: a test run or server in another terminal never loads a half-written
// or failed build. (The swap is two renames, so dist/ is absent for microseconds between them;
// Node offers no atomic exchange of two folders.)
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
// dist/cli.js carries the time the build started: a source saved during a build stays newer.
const STAMP = 'cli.js';
const INPUTS = ['src', 'tsconfig.json', 'package.json'];

/** Latest modification time under `target`, folders included (they change when a file is added or removed). */
function newestMtime(target) {
  let stats;
  try {
    stats = statSync(target);
  } catch {
    return 0;
  }
  let newest = stats.mtimeMs;
  if (stats.isDirectory()) {
    for (const name of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, name)));
  }
  return newest;
}

export function isStale() {
  let built;
  try {
    built = statSync(path.join(DIST, STAMP)).mtimeMs;
  } catch {
    return true;
  }
  return INPUTS.some((input) => newestMtime(path.join(ROOT, input)) > built);
}

/** Replaces dist/ with `fresh`, retrying when a concurrent build swaps in between. */
function swapIn(fresh) {
  const olds = [];
  for (let attempt = 0; ; attempt++) {
    const old = path.join(ROOT, `.dist-old-${process.pid}-${attempt}`);
    try {
      if (existsSync(DIST)) {
        renameSync(DIST, old);
        olds.push(old);
      }
      renameSync(fresh, DIST);
      break;
    } catch (error) {
      if (attempt >= 5 || !['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(error.code)) throw error;
    }
  }
  for (const old of olds) rmSync(old, { recursive: true, force: true });
}

export function build() {
  const fresh = path.join(ROOT, `.dist-new-${process.pid}`);
  rmSync(fresh, { recursive: true, force: true });
  const started = new Date();
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', fresh], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    rmSync(fresh, { recursive: true, force: true });
    return false;
  }
  const cli = path.join(fresh, STAMP);
  chmodSync(cli, 0o755);
  utimesSync(cli, started, started);
  swapIn(fresh);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  if ((force || isStale()) && !build()) {
    console.error('build: tsc failed; dist/ left as it was');
    process.exit(1);
  }
}
