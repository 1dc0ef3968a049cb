// One request cannot nest folders without bound, nor make names the filesystem would refuse:
// deeper than --max-path-depth or a path over PATH_MAX → 414, a segment over 255 bytes → 400,
// and nothing is created either way.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startFileServer } from './file-server.mjs';

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-depth-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function put(port, name, body = 'x') {
  const res = await fetch(`http://127.0.0.1:${port}/files/${name}`, { method: 'PUT', body });
  return { status: res.status, text: await res.text() };
}

const nested = (depth, leaf = 'f.txt') => [...Array.from({ length: depth - 1 }, (_, i) => `d${i}`), leaf].join('/');

test('the default depth is 64 segments: 64 is stored, 65 (or 1,500) is 414 and creates nothing', async () => {
  const server = await startFileServer(['--directory', dir, '--quiet']);
  try {
    for (const depth of [65, 1500]) {
      const res = await put(server.port, nested(depth));
      assert.equal(res.status, 414, res.text);
      assert.match(res.text, /too deep/i);
      assert.equal((await put(server.port, `${nested(depth - 1, 'dir')}/`, '')).status, depth - 1 > 64 ? 414 : 201);
      await rm(path.join(dir, 'd0'), { recursive: true, force: true });
    }
    assert.equal((await put(server.port, nested(64))).status, 201);
  } finally {
    await server.stop();
  }
});

test('--max-path-depth sets the bound; names the filesystem would refuse are refused first', async () => {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  const server = await startFileServer(['--directory', dir, '--quiet', '--max-path-depth', '3']);
  try {
    assert.equal((await put(server.port, 'a/b/c.txt')).status, 201);
    assert.equal((await put(server.port, 'a/b/c/d.txt')).status, 414);
    assert.equal((await put(server.port, 'a/b/c/d/')).status, 414);

    const long = 'n'.repeat(256);
    const res = await put(server.port, long);
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /too long/i);
    assert.equal((await put(server.port, `a/${'é'.repeat(128)}`)).status, 400, '256 bytes in UTF-8');
    assert.equal((await put(server.port, `a/${'n'.repeat(255)}`)).status, 201, '255 bytes fit');
    const tooLongPath = ['p'.repeat(250), 'q'.repeat(250), 'r'.repeat(250)].join('/');
    const deep = await startFileServer(['--directory', dir, '--quiet', '--max-path-depth', '100']);
    try {
      const segments = Array.from({ length: 17 }, (_, i) => `${i}`.padEnd(250, 's'));
      assert.equal((await put(deep.port, segments.join('/'))).status, 414, 'a path over PATH_MAX');
      assert.equal((await put(deep.port, tooLongPath)).status, 201);
    } finally {
      await deep.stop();
    }
    const made = await readdir(dir);
    assert.ok(!made.some((name) => name.startsWith('0')), 'nothing was created for the refused path');
  } finally {
    await server.stop();
  }
});
