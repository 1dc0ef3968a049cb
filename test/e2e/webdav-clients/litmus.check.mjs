// The WebDAV conformance suite litmus (all five suites) against the real CLI. Needs the
// `litmus` command (Debian package litmus); run with `npm run test:webdav`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { startCli } from '../../helpers.mjs';

const run = promisify(execFile);
let dir;
let server;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-litmus-'));
  server = await startCli(['--directory', dir]);
});
after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('litmus: every test of basic, copymove, props, locks and http passes, with no warning', { timeout: 120_000 }, async () => {
  const { stdout } = await run('litmus', [`http://127.0.0.1:${server.port}/files/`], { cwd: dir, timeout: 110_000 }).catch((error) => {
    // litmus exits non-zero when a test fails; its output says which.
    assert.fail(`litmus failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
  });
  const summaries = [...stdout.matchAll(/<- summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed/g)];
  const bySuite = Object.fromEntries(summaries.map(([, suite, run, passed, failed]) => [suite, { run: +run, passed: +passed, failed: +failed }]));
  console.log(summaries.map(([line]) => line).join('\n'));
  assert.deepEqual(Object.keys(bySuite), ['basic', 'copymove', 'props', 'locks', 'http'], stdout);
  for (const [suite, result] of Object.entries(bySuite)) {
    assert.equal(result.failed, 0, `${suite}:\n${stdout}`);
    assert.equal(result.passed, result.run, suite);
  }
  assert.doesNotMatch(stdout, /WARNING|SKIPPED/, stdout);
});
