// WebDAV on a full disk and on a read-only mount: the server's fault is answered as such (507,
// 403), nothing partial is left, nothing changes. Needs root and permission to mount a small
// tmpfs; skipped with a message otherwise.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startCli } from '../../../helpers.mjs';
import { dav } from './dav-client.mjs';

let mountPoint;
let mounted = false;
let skipReason = '';
let server;
const req = (...args) => dav(server.port, ...args);

before(async () => {
  mountPoint = await mkdtemp(path.join(tmpdir(), 'wirehttp-dav-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    skipReason = `cannot mount a 2 MiB tmpfs (needs root and mount permission): ${String(error.stderr ?? error.message).trim()}`;
    return;
  }
  await writeFile(path.join(mountPoint, 'big.bin'), Buffer.alloc(1200 * 1024, 7));
  await writeFile(path.join(mountPoint, 'small.txt'), 'small\n');
  server = await startCli(['--directory', mountPoint, '--quiet']);
});
after(async () => {
  await server?.stop();
  if (mounted) execFileSync('umount', [mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
});

const PATCH = '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">1</x></D:prop></D:set></D:propertyupdate>';
const LOCKINFO = '<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>';
const temps = async () => (await readdir(mountPoint, { recursive: true })).filter((name) => name.includes('.wirehttp-upload-'));

test('a full disk: COPY answers 507 and leaves no partial file', async (t) => {
  if (!mounted) return t.skip(skipReason);
  const res = await req('COPY', '/files/big.bin', { headers: { Destination: '/files/copy.bin' } });
  assert.equal(res.status, 507, String(res.body));
  await assert.rejects(readFile(path.join(mountPoint, 'copy.bin')), { code: 'ENOENT' });
  assert.deepEqual(await temps(), []);
});

test('a read-only mount: every WebDAV write answers 403 and nothing changes', async (t) => {
  if (!mounted) return t.skip(skipReason);
  execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
  try {
    for (const [method, name, headers, body] of [
      ['MKCOL', 'folder', {}],
      ['PROPPATCH', 'small.txt', {}, PATCH],
      ['COPY', 'small.txt', { Destination: '/files/copy.txt' }],
      ['MOVE', 'small.txt', { Destination: '/files/moved.txt' }],
      ['DELETE', 'small.txt', {}],
      ['LOCK', 'small.txt', {}, LOCKINFO],
      ['LOCK', 'new.txt', {}, LOCKINFO],
    ]) {
      const res = await req(method, `/files/${name}`, { headers, body });
      assert.equal(res.status, 403, `${method} ${name}: ${res.status} ${res.body}`);
    }
    assert.deepEqual((await readdir(mountPoint)).sort(), ['big.bin', 'small.txt']);
    assert.equal((await req('PROPFIND', '/files/', { headers: { Depth: '1' } })).status, 207, 'reading still works');
  } finally {
    execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
  }
});
