// Storage faults are the server's, not the client's: a full disk answers 507, a read-only mount
// 403 (also for a PUT into a new folder), nothing partial is left and the previous file is intact.
// Needs a small tmpfs: root and permission to mount; skipped with a message otherwise.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, parseResponses, startCli } from '../../helpers.mjs';

const MIB = 1024 * 1024;

let mountPoint;
let mounted = false;
let skipReason = '';
before(async () => {
  mountPoint = await mkdtemp(path.join(tmpdir(), 'wirehttp-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    skipReason = `cannot mount a 1 MiB tmpfs (needs root and mount permission): ${String(error.stderr ?? error.message).trim()}`;
  }
});
after(async () => {
  if (mounted) execFileSync('umount', [mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
});

/** Sends one request with a `size`-byte body and returns the response; the body may be cut off by the server. */
async function send(port, method, name, size) {
  const socket = await connect(port);
  socket.on('error', () => {});
  const chunks = [];
  socket.on('data', (d) => chunks.push(d));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.write(`${method} /files/${name} HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`);
  const piece = Buffer.alloc(64 * 1024, 0x7a);
  for (let sent = 0; sent < size && !socket.destroyed; sent += piece.length) {
    if (!socket.write(piece.subarray(0, Math.min(piece.length, size - sent)))) {
      await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
    }
  }
  await closed;
  return parseResponses(Buffer.concat(chunks))[0];
}

const uploadTemps = async (dir) => (await readdir(dir, { recursive: true })).filter((name) => name.includes('.wirehttp-upload-'));

describe('storage faults', () => {
  let server;
  before(async () => {
    if (!mounted) return;
    await writeFile(path.join(mountPoint, 'previous.txt'), 'the previous content\n');
    server = await startCli(['--directory', mountPoint, '--quiet']);
  });
  after(() => server?.stop());

  test('a full disk answers 507, leaves no partial file, and the previous file stays intact', async (t) => {
    if (!mounted) return t.skip(skipReason);
    for (const [method, name] of [
      ['PUT', 'previous.txt'],
      ['PUT', 'new.bin'],
      ['POST', 'folder/new.bin'],
    ]) {
      const res = await send(server.port, method, name, 2 * MIB);
      assert.equal(res.status, 507, `${method} ${name}: ${res.status} ${res.body}`);
    }
    assert.equal(await readFile(path.join(mountPoint, 'previous.txt'), 'utf8'), 'the previous content\n');
    await assert.rejects(readFile(path.join(mountPoint, 'new.bin')), { code: 'ENOENT' });
    assert.deepEqual(await uploadTemps(mountPoint), []);
    // The space is back: a small upload still works.
    assert.equal((await send(server.port, 'PUT', 'small.txt', 1000)).status, 201);
  });

  test('a read-only mount answers 403 to every write, new folders included; nothing changes', async (t) => {
    if (!mounted) return t.skip(skipReason);
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    try {
      for (const [method, name, size] of [
        ['PUT', 'previous.txt', 100],
        ['PUT', 'fresh.txt', 100],
        ['PUT', 'new-folder/file.txt', 100],
        ['POST', 'a/b/c/file.txt', 100],
        ['POST', 'new-folder/', 0],
        ['DELETE', 'previous.txt', 0],
      ]) {
        const res = await send(server.port, method, name, size);
        assert.equal(res.status, 403, `${method} ${name}: ${res.status} ${res.body}`);
      }
      assert.equal(await readFile(path.join(mountPoint, 'previous.txt'), 'utf8'), 'the previous content\n');
      assert.deepEqual(await uploadTemps(mountPoint), []);
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    }
  });
});
