// WebDAV state in the metadata area: the shared JSON file (atomic writes, read-modify-write
// under a lock file, several processes), dead properties and locks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { blockingLock, conflictingLock, LockStore } from '../../../../dist/app/files/dav/lock-store.js';
import { MetadataFile } from '../../../../dist/app/files/dav/metadata-file.js';
import { PropStore } from '../../../../dist/app/files/dav/prop-store.js';

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-dav-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const counter = (json) => json ?? { n: 0 };
const prop = (ns, name, value = '') => ({ ns, name, xml: `<${name} xmlns="${ns}">${value}</${name}>` });

describe('MetadataFile', () => {
  test('a missing file reads as the empty document; update stores; a new instance reads it (restart)', async () => {
    const file = path.join(dir, 'm1', 'doc.json');
    const doc = new MetadataFile(file, counter);
    assert.deepEqual(await doc.read(), { n: 0 });
    assert.equal(
      await doc.update((d) => ++d.n),
      1,
    );
    assert.deepEqual(await new MetadataFile(file, counter).read(), { n: 1 });
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { n: 1 });
    assert.deepEqual(await readdir(path.dirname(file)), ['doc.json'], 'no lock or temporary file left behind');
  });

  test('concurrent updates in one process are serialised by the lock file: none is lost', async () => {
    const doc = new MetadataFile(path.join(dir, 'm2', 'doc.json'), counter);
    await Promise.all(Array.from({ length: 40 }, () => doc.update((d) => d.n++)));
    assert.equal((await doc.read()).n, 40);
  });

  test('four processes updating the same file lose no update', { timeout: 60_000 }, async () => {
    const file = path.join(dir, 'm3', 'doc.json');
    const module = new URL('../../../../dist/app/files/dav/metadata-file.js', import.meta.url).href;
    const script = `
      const { MetadataFile } = await import(${JSON.stringify(module)});
      const doc = new MetadataFile(${JSON.stringify(file)}, (json) => json ?? { n: 0 });
      for (let i = 0; i < 25; i++) await doc.update((d) => { d.n++; });
    `;
    await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise((resolve, reject) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
            child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
          }),
      ),
    );
    assert.equal((await new MetadataFile(file, counter).read()).n, 100);
  });

  test('a stale lock file (a writer that died) is broken; a fresh one is waited for', async () => {
    const file = path.join(dir, 'm4', 'doc.json');
    const doc = new MetadataFile(file, counter);
    await doc.update((d) => d.n++);
    await writeFile(`${file}.lock`, 'dead 1\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    await doc.update((d) => d.n++);
    assert.equal((await doc.read()).n, 2);

    await writeFile(`${file}.lock`, 'alive 2\n');
    const release = setTimeout(() => rm(`${file}.lock`), 200);
    const started = Date.now();
    await doc.update((d) => d.n++);
    clearTimeout(release);
    assert.ok(Date.now() - started >= 150, 'waited for the holder');
    assert.equal((await doc.read()).n, 3);
  });

  test('a damaged document is refused (500), not overwritten', async () => {
    const file = path.join(dir, 'm5', 'doc.json');
    const doc = new MetadataFile(file, counter);
    await doc.update((d) => d.n++);
    await writeFile(file, '{"n": 1');
    await assert.rejects(doc.update((d) => d.n++), { status: 500 });
    assert.equal(await readFile(file, 'utf8'), '{"n": 1');
  });
});

describe('PropStore', () => {
  test('set, replace and remove in one change; all of it or nothing', async () => {
    const props = new PropStore(path.join(dir, 'p1'));
    await props.change('a', [
      { kind: 'set', prop: prop('urn:z', 'x', '1') },
      { kind: 'set', prop: prop('urn:z', 'y', '2') },
    ]);
    await props.change('a', [
      { kind: 'remove', name: { ns: 'urn:z', name: 'x' } },
      { kind: 'set', prop: prop('urn:z', 'y', '3') },
      { kind: 'remove', name: { ns: 'urn:z', name: 'never-set' } },
    ]);
    assert.deepEqual(await props.get('a'), [prop('urn:z', 'y', '3')]);
    assert.deepEqual(await new PropStore(path.join(dir, 'p1')).get('a'), [prop('urn:z', 'y', '3')], 'survives a restart');
  });

  test('properties move, copy and go with their tree; a sibling with a longer name is not inside', async () => {
    const props = new PropStore(path.join(dir, 'p2'));
    for (const resource of ['d', 'd/f', 'd/e/g', 'dd', 'target/old']) await props.change(resource, [{ kind: 'set', prop: prop('urn:z', 'p', resource) }]);
    await props.transfer('d', 'target', { move: false, tree: true });
    const read = await props.snapshot();
    assert.deepEqual(read('target/e/g'), [prop('urn:z', 'p', 'd/e/g')]);
    assert.deepEqual(read('target/old'), [], 'what the destination had is replaced');
    assert.deepEqual(read('d/f'), [prop('urn:z', 'p', 'd/f')], 'a copy leaves the source');
    await props.transfer('d', 'moved', { move: true, tree: true });
    const after = await props.snapshot();
    assert.deepEqual(after('d'), []);
    assert.deepEqual(after('moved/f'), [prop('urn:z', 'p', 'd/f')]);
    assert.deepEqual(after('dd'), [prop('urn:z', 'p', 'dd')]);
    await props.remove('moved');
    assert.deepEqual((await props.snapshot())('moved/e/g'), []);
    await props.transfer('dd', 'one', { move: false, tree: false });
    assert.deepEqual(await props.get('one'), [prop('urn:z', 'p', 'dd')]);
  });
});

describe('locks', () => {
  const lock = (root, depth, scope, token = `t-${root}-${scope}`) => ({ token, root, depth, scope, owner: '', timeout: 60, expires: Infinity });

  test('conflicts: exclusive against anything overlapping; shared with shared is fine', () => {
    const want = (root, depth, scope) => ({ root, depth, scope, owner: '', timeout: 60 });
    const cases = [
      [[lock('a', '0', 'exclusive')], want('a', '0', 'shared'), true],
      [[lock('a', '0', 'shared')], want('a', '0', 'shared'), false],
      [[lock('a', '0', 'shared')], want('a', '0', 'exclusive'), true],
      [[lock('a', '0', 'exclusive')], want('a/b', '0', 'exclusive'), false],
      [[lock('a', 'infinity', 'exclusive')], want('a/b', '0', 'exclusive'), true],
      [[lock('a/b/c', '0', 'exclusive')], want('a', 'infinity', 'exclusive'), true],
      [[lock('a/b/c', '0', 'exclusive')], want('a', '0', 'exclusive'), false],
      [[lock('ab', '0', 'exclusive')], want('a', 'infinity', 'exclusive'), false],
      [[lock('', 'infinity', 'shared')], want('x/y', 'infinity', 'shared'), false],
    ];
    for (const [existing, wanted, conflicts] of cases) {
      assert.equal(conflictingLock(existing, wanted) !== null, conflicts, JSON.stringify([existing[0].root, existing[0].depth, wanted]));
    }
  });

  test('writes: every lock on what is touched needs its token; one shared token is enough', () => {
    const file = { resource: 'd/f', tree: false, membership: false };
    const created = { resource: 'd/new', tree: false, membership: true };
    const tree = { resource: 'd', tree: true, membership: true };
    const none = new Set();
    assert.equal(blockingLock([lock('d', '0', 'exclusive')], [file], none), null, 'a depth-0 lock on a folder does not cover its files');
    assert.equal(blockingLock([lock('d', '0', 'exclusive')], [created], none)?.root, 'd', '…but does protect its membership');
    assert.equal(blockingLock([lock('d', 'infinity', 'exclusive')], [file], none)?.root, 'd');
    assert.equal(blockingLock([lock('d/e/g', '0', 'exclusive')], [tree], none)?.root, 'd/e/g', 'deleting a tree needs the locks inside it');
    assert.equal(blockingLock([lock('d/e/g', '0', 'exclusive', 'T')], [tree], new Set(['T'])), null);
    const shared = [lock('d/f', '0', 'shared', 'S1'), lock('d/f', '0', 'shared', 'S2')];
    assert.equal(blockingLock(shared, [file], new Set(['S2'])), null);
    assert.equal(blockingLock(shared, [file], none)?.token, 'S1');
  });

  test('store: grant, conflict, refresh, expiry, remove; shared with another process', async () => {
    let now = 1_000_000;
    const metadata = path.join(dir, 'l1');
    const locks = new LockStore(metadata, () => now);
    const first = await locks.create({ root: 'a', depth: 'infinity', scope: 'exclusive', owner: '<href xmlns="DAV:">me</href>', timeout: 60 });
    assert.match(first.granted.token, /^urn:uuid:[0-9a-f-]{36}$/);
    const other = new LockStore(metadata, () => now);
    const refused = await other.create({ root: 'a/b', depth: '0', scope: 'shared', owner: '', timeout: 60 });
    assert.equal(refused.conflict.token, first.granted.token, 'a second instance sees the lock');
    now += 50_000;
    const refreshed = await other.refresh('a/b', first.granted.token, 60);
    assert.equal(refreshed.expires, now + 60_000, 'refreshed through a covered resource');
    assert.equal(await other.refresh('a/b', 'urn:uuid:nope', 60), null);
    now += 59_000;
    assert.equal((await locks.all()).length, 1);
    now += 2_000;
    assert.deepEqual(await locks.all(), [], 'lapsed');
    const again = await locks.create({ root: 'a', depth: '0', scope: 'shared', owner: '', timeout: 10 });
    assert.equal(await locks.remove('b', again.granted.token), false, 'only through a resource it covers');
    assert.equal(await locks.remove('a', again.granted.token), true);
    assert.deepEqual(await locks.all(), []);
    await locks.create({ root: 'x/y', depth: '0', scope: 'shared', owner: '', timeout: 10 });
    await locks.create({ root: 'xy', depth: '0', scope: 'shared', owner: '', timeout: 10 });
    await locks.removeWithin('x');
    assert.deepEqual(
      (await locks.all()).map((l) => l.root),
      ['xy'],
    );
  });
});

describe('bounds', () => {
  test('a document may not grow past its bound (507); shrinking it is always allowed', async () => {
    const file = path.join(dir, 'b1', 'doc.json');
    const doc = new MetadataFile(file, (json) => json ?? { items: [] }, 1000);
    await doc.update((d) => d.items.push('x'.repeat(900)));
    await assert.rejects(
      doc.update((d) => d.items.push('y'.repeat(200))),
      { status: 507 },
    );
    assert.equal((await doc.read()).items.length, 1, 'nothing stored');
    await doc.update((d) => d.items.pop());
    assert.deepEqual(await doc.read(), { items: [] });
  });
});
