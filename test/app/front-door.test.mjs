// The front door: `/` for browsers and for everyone else, the favicon, the start-up line and --help.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CLI, exchange, parseResponses, startCli } from '../helpers.mjs';

async function get(port, target, headers = '') {
  const { raw } = await exchange(port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${headers}Connection: close\r\n\r\n`);
  return { raw, res: parseResponses(raw)[0] };
}

test('`/` answers clients that do not ask for HTML exactly as before, and sends browsers to the files', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-front-'));
  const server = await startCli(['--directory', dir, '--quiet']);
  try {
    for (const accept of ['', 'Accept: */*\r\n', 'Accept: application/json\r\n']) {
      const { raw } = await get(server.port, '/', accept);
      assert.match(raw.toString('latin1'), /^HTTP\/1\.1 200 OK\r\nDate: [^\r]+\r\nContent-Length: 0\r\nConnection: close\r\n\r\n$/);
    }
    const { res } = await get(server.port, '/', 'Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/files/');
    assert.equal(res.headers.vary, 'Accept');
    const icon = (await get(server.port, '/favicon.ico')).res;
    assert.equal(icon.status, 200);
    assert.equal(icon.headers['content-type'], 'image/svg+xml');
    assert.match(icon.body.toString(), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(server.stderr(), /\nopen http:\/\/localhost:\d+\/files\/\n/);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('without --directory a browser at `/` is told how to share a folder', async () => {
  const server = await startCli(['--quiet']);
  try {
    const { res } = await get(server.port, '/', 'Accept: text/html\r\n');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.match(res.body.toString(), /--directory DIR/);
    assert.match(server.stderr(), /\nopen http:\/\/localhost:\d+\/\n/);
  } finally {
    await server.stop();
  }
});

test('--help names every way to upload', () => {
  const help = execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  assert.match(help, /PUT or POST to upload \(a raw body, or the files of a multipart form\)/);
  assert.doesNotMatch(help, /POST to upload\)/);
});
