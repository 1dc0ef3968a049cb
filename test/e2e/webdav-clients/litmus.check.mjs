// The WebDAV conformance suite litmus (all five suites) against the real CLI. Needs the
// `litmus` command (Debian package litmus); run with `npm run test:webdav`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { startCli } from '../../helpers.mjs';

const run = promisify(execFile);
/** Runs litmus against a fresh server started with `flags`; asserts every suite passed. */
async function litmus(flags) {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-litmus-'));
  const server = await startCli(['--directory', dir, ...flags]);
  try {
    const { stdout } = await run('litmus', [`http://127.0.0.1:${server.port}/files/`], { cwd: dir, timeout: 110_000 }).catch((error) => {
      // litmus exits non-zero when a test fails; its output says which.
      assert.fail(`litmus failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
    });
    const summaries = [...stdout.matchAll(/<- summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed/g)];
    const bySuite = Object.fromEntries(summaries.map(([, suite, total, passed, failed]) => [suite, { total: +total, passed: +passed, failed: +failed }]));
    console.log(summaries.map(([line]) => line).join('\n'));
    assert.deepEqual(Object.keys(bySuite), ['basic', 'copymove', 'props', 'locks', 'http'], stdout);
    for (const [suite, result] of Object.entries(bySuite)) {
      assert.equal(result.failed, 0, `${suite}:\n${stdout}`);
      assert.equal(result.passed, result.total, suite);
    }
    assert.doesNotMatch(stdout, /WARNING|SKIPPED/, stdout);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

test('litmus: every test of basic, copymove, props, locks and http passes, with no warning', { timeout: 120_000 }, () => litmus([]));

test('litmus with --workers 2: the same, its two sessions served by both workers', { timeout: 120_000 }, () => litmus(['--workers', '2']));
