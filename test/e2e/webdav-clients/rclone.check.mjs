// rclone (WebDAV vendor "other") against the real CLI: sync a tree with unicode names, spaces,
// nested folders and a few-MiB file, change it, sync again, and check; a server-side moveto
// is a rename on disk. Needs the `rclone` command; run with `npm run test:webdav`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { startCli } from '../../helpers.mjs';

const run = promisify(execFile);
let dir;
let local;
let server;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-rclone-'));
  local = await mkdtemp(path.join(tmpdir(), 'wirehttp-rclone-local-'));
  server = await startCli(['--directory', dir]);
});
after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
  await rm(local, { recursive: true, force: true });
});

/** Runs rclone with an on-the-fly WebDAV remote ":webdav:" pointing at the server. */
function rclone(...args) {
  return run('rclone', [...args, '--config', '/dev/null', '--low-level-retries', '1', '--retries', '1'], {
    env: { ...process.env, RCLONE_WEBDAV_URL: `http://127.0.0.1:${server.port}/files/`, RCLONE_WEBDAV_VENDOR: 'other' },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

async function put(name, content) {
  await mkdir(path.dirname(path.join(local, name)), { recursive: true });
  await writeFile(path.join(local, name), content);
}

test('rclone: sync, change, sync again, check finds no difference; moveto is a rename', { timeout: 120_000 }, async () => {
  await put('caf\u00e9 cr\u00e8me/na\u00efve r\u00e9sum\u00e9.txt', 'unicode\n');
  await put('with space/nested/deeper/still deeper/file #1.txt', 'deep\n');
  await put('\u65e5\u672c\u8a9e/\u{1F600} emoji & more%20.txt', 'emoji\n');
  await put('big.bin', randomBytes(3 * 1024 * 1024 + 17));
  await put('empty.txt', '');
  await rclone('sync', local, ':webdav:tree');
  await rclone('check', local, ':webdav:tree', '--download');

  await put('caf\u00e9 cr\u00e8me/na\u00efve r\u00e9sum\u00e9.txt', 'changed and longer\n');
  await rm(path.join(local, 'with space/nested/deeper'), { recursive: true });
  await put('new folder/new file.txt', 'new\n');
  await put('big.bin', randomBytes(2 * 1024 * 1024));
  await rclone('sync', local, ':webdav:tree');
  await rclone('check', local, ':webdav:tree', '--download');
  await assert.rejects(stat(path.join(dir, 'tree/with space/nested/deeper')), { code: 'ENOENT' });

  const before = await stat(path.join(dir, 'tree/big.bin'));
  await rclone('moveto', ':webdav:tree/big.bin', ':webdav:tree/new folder/moved big.bin');
  const after = await stat(path.join(dir, 'tree/new folder/moved big.bin'));
  assert.equal(after.ino, before.ino, 'the same file, renamed: a server-side MOVE');
  await assert.rejects(stat(path.join(dir, 'tree/big.bin')), { code: 'ENOENT' });
});
