#!/usr/bin/env node
// Runs every *.test.mjs under test/ (or under the folders and files given) with Node's test
// runner. Node 20's `--test` takes no globs and, given a folder, would also run helpers such as
// test/helpers.mjs as tests, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function testFiles(target) {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(target, entry.name);
      if (entry.isDirectory()) return testFiles(full);
      return entry.name.endsWith('.test.mjs') ? [full] : [];
    });
}

const targets = process.argv.slice(2);
const files = (targets.length > 0 ? targets : [path.join(ROOT, 'test')]).flatMap((t) => testFiles(path.resolve(t)));
files.sort();
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
