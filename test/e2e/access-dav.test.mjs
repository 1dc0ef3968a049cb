// Access rules against WebDAV's tree-wide methods on the real CLI: removing or replacing a
// folder cannot reach into a deeper read-only rule's path, and COPY and MOVE are checked at
// both ends (the source read or removed, the Destination written).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCli } from '../helpers.mjs';
import { basic, call } from './access-helpers.mjs';

describe('WebDAV and the access rules', () => {
  let server;
  let dir;
  const alice = { Authorization: basic('alice', 'wonderland') };
  const to = (name) => ({ ...alice, Destination: `/files/${name}` });

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-access-dav-'));
    await mkdir(path.join(dir, 'a', 'keep'), { recursive: true });
    await writeFile(path.join(dir, 'a', 'keep', 'k.txt'), 'kept\n');
    await writeFile(path.join(dir, 'a', 'other.txt'), 'other\n');
    await mkdir(path.join(dir, 'free'));
    await writeFile(path.join(dir, 'free', 'f.txt'), 'free\n');
    await writeFile(path.join(dir, 'x.txt'), 'x\n');
    await mkdir(path.join(dir, 'pub'));
    server = await startCli(['--directory', dir, '--auth', 'alice:wonderland@/:rw,/a/keep:ro', '--auth', '@/pub:rw']);
  });
  after(() => server.stop());

  const kept = async () => assert.equal(await readFile(path.join(dir, 'a', 'keep', 'k.txt'), 'utf8'), 'kept\n');

  test('DELETE of a folder with a read-only rule below it: 403, nothing removed', async () => {
    assert.equal((await call(server.port, 'DELETE', '/files/a/', alice)).status, 403);
    assert.equal((await call(server.port, 'DELETE', '/files/a', alice)).status, 403);
    await kept();
    assert.ok(existsSync(path.join(dir, 'a', 'other.txt')));
    assert.equal((await call(server.port, 'DELETE', '/files/a/other.txt', alice)).status, 204, 'a writable name beside the rule still goes');
  });

  test('MOVE of such a folder: 403, nothing moved', async () => {
    assert.equal((await call(server.port, 'MOVE', '/files/a/', to('moved/'))).status, 403);
    await kept();
    assert.ok(!existsSync(path.join(dir, 'moved')));
  });

  test('COPY and MOVE need write access at the Destination, to the whole tree they replace', async () => {
    assert.equal((await call(server.port, 'COPY', '/files/x.txt', to('a/keep/x.txt'))).status, 403);
    assert.equal((await call(server.port, 'MOVE', '/files/x.txt', to('a/keep/x.txt'))).status, 403);
    const replace = { ...to('a'), Overwrite: 'T' };
    assert.equal((await call(server.port, 'MOVE', '/files/x.txt', replace)).status, 403, 'replacing /a would remove /a/keep');
    assert.equal((await call(server.port, 'COPY', '/files/free/', replace)).status, 403);
    await kept();
    assert.equal(await readFile(path.join(dir, 'x.txt'), 'utf8'), 'x\n');
    assert.ok(!existsSync(path.join(dir, 'a', 'keep', 'x.txt')));
  });

  test('COPY needs read access at the source, MOVE write access to its whole tree', async () => {
    const anonymous = (name) => ({ Destination: `/files/${name}` });
    assert.equal((await call(server.port, 'COPY', '/files/x.txt', anonymous('pub/x.txt'))).status, 401);
    assert.equal((await call(server.port, 'MOVE', '/files/free/', anonymous('pub/free/'))).status, 401);
    assert.ok(!existsSync(path.join(dir, 'pub', 'x.txt')));
    assert.ok(existsSync(path.join(dir, 'free', 'f.txt')));
    // Read access is enough to copy out of a read-only path.
    assert.equal((await call(server.port, 'COPY', '/files/a/keep/k.txt', to('copied.txt'))).status, 201);
    assert.equal((await call(server.port, 'MOVE', '/files/a/keep/k.txt', to('stolen.txt'))).status, 403);
    await kept();
  });

  test('the listing page\'s rename (POST of a move body) is checked at both ends too', async () => {
    const move = () => ({ ...alice, 'Content-Type': 'application/x-wirehttp-move+json' });
    const body = (target) => JSON.stringify({ to: `/files/${target}` });
    assert.equal((await call(server.port, 'POST', '/files/x.txt', move(), body('a/keep/x.txt'))).status, 403);
    assert.equal((await call(server.port, 'POST', '/files/a', move(), body('b'))).status, 403, '/a has a read-only path below it');
    await kept();
    assert.ok(!existsSync(path.join(dir, 'a', 'keep', 'x.txt')));
    assert.equal((await call(server.port, 'POST', '/files/x.txt', move(), body('renamed.txt'))).status, 201);
    assert.equal(await readFile(path.join(dir, 'renamed.txt'), 'utf8'), 'x\n');
  });

  test('where every path below is writable, folders still move, copy and go', async () => {
    assert.equal((await call(server.port, 'COPY', '/files/free/', to('free2/'))).status, 201);
    assert.equal((await call(server.port, 'MOVE', '/files/free2/', to('free3/'))).status, 201);
    assert.equal(await readFile(path.join(dir, 'free3', 'f.txt'), 'utf8'), 'free\n');
    assert.equal((await call(server.port, 'DELETE', '/files/free3/', alice)).status, 204);
    assert.ok(!existsSync(path.join(dir, 'free3')));
  });
});
