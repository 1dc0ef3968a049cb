// serveFiles mounted under a library Router passes the CLI's own file-server tests: the same
// test files run again with WIREHTTP_TEST_FILES=library (see file-server.mjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SHARED = [
  'http.test.mjs', 'safety.test.mjs', 'cache-coherence.test.mjs', 'metadata-area.test.mjs', 'folder-pages.test.mjs', 'search.test.mjs',
  'form-upload.test.mjs', 'path-limits.test.mjs', 'concurrent-writes.test.mjs', 'tus/tus-http.test.mjs',
];

for (const file of SHARED) {
  test(`${file} against serveFiles under a library router`, { timeout: 180_000 }, async () => {
    // Without NODE_TEST_CONTEXT: a test runner started from inside a test file skips every file.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const proc = spawn(process.execPath, ['--test', '--test-reporter=tap', fileURLToPath(new URL(file, import.meta.url))], {
      env: { ...env, WIREHTTP_TEST_FILES: 'library' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.on('data', (d) => (output += d));
    proc.stderr.on('data', (d) => (output += d));
    const code = await new Promise((resolve) => proc.once('exit', resolve));
    assert.equal(code, 0, output);
    const passed = Number(/^# pass (\d+)$/m.exec(output)?.[1]);
    assert.ok(passed > 0, `no test ran:\n${output}`);
    assert.match(output, /^# fail 0$/m);
  });
}
