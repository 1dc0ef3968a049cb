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

  test('the listing page\'s rename (MOVE with an absolute Destination) is checked at both ends and against other sites', async () => {
    const absolute = (name, headers = alice) => ({ ...headers, Destination: `http://localhost:${server.port}/files/${name}`, Overwrite: 'F' });
    await writeFile(path.join(dir, 'pub', 'p.txt'), 'p\n');
    assert.equal((await call(server.port, 'MOVE', '/files/x.txt', absolute('a/keep/x.txt'))).status, 403, 'into a folder alice may only read');
    assert.equal((await call(server.port, 'MOVE', '/files/pub/p.txt', absolute('free/p.txt', {}))).status, 401, 'anonymous out of /pub into a folder only logins may write');
    const own = `http://localhost:${server.port}`;
    const evil = { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' };
    assert.equal((await call(server.port, 'MOVE', '/files/pub/p.txt', absolute('pub/q.txt', evil))).status, 403, 'anonymous, cross-site');
    assert.equal((await call(server.port, 'MOVE', '/files/x.txt', absolute('renamed.txt', { ...alice, ...evil }))).status, 403, 'logged in, cross-site');
    assert.equal((await call(server.port, 'MOVE', '/files/x.txt', absolute('renamed.txt', { ...alice, Origin: 'null' }))).status, 403);
    await kept();
    assert.equal(await readFile(path.join(dir, 'x.txt'), 'utf8'), 'x\n');
    assert.equal(await readFile(path.join(dir, 'pub', 'p.txt'), 'utf8'), 'p\n');
    assert.ok(!existsSync(path.join(dir, 'a', 'keep', 'x.txt')));
    assert.ok(!existsSync(path.join(dir, 'free', 'p.txt')));
    // The page itself: same origin, where both ends may be written.
    assert.equal((await call(server.port, 'MOVE', '/files/pub/p.txt', absolute('pub/q.txt', { Origin: own, 'Sec-Fetch-Site': 'same-origin' }))).status, 201);
    assert.equal((await call(server.port, 'MOVE', '/files/x.txt', absolute('renamed.txt', { ...alice, Origin: own, 'Sec-Fetch-Site': 'same-origin' }))).status, 201);
    assert.equal(await readFile(path.join(dir, 'renamed.txt'), 'utf8'), 'x\n');
    assert.equal(await readFile(path.join(dir, 'pub', 'q.txt'), 'utf8'), 'p\n');
  });

  test('where every path below is writable, folders still move, copy and go', async () => {
    assert.equal((await call(server.port, 'COPY', '/files/free/', to('free2/'))).status, 201);
    assert.equal((await call(server.port, 'MOVE', '/files/free2/', to('free3/'))).status, 201);
    assert.equal(await readFile(path.join(dir, 'free3', 'f.txt'), 'utf8'), 'free\n');
    assert.equal((await call(server.port, 'DELETE', '/files/free3/', alice)).status, 204);
    assert.ok(!existsSync(path.join(dir, 'free3')));
  });
});
