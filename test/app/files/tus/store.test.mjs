// The tus upload store on disk: offsets, checksums, locks, expiry, restarts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { UploadStore } from '../../../../dist/app/files/tus/store.js';

const base = mkdtempSync(path.join(os.tmpdir(), 'wirehttp-tus-store-'));
after(() => rmSync(base, { recursive: true, force: true }));

let serial = 0;
function newStore(options = {}) {
  const dir = path.join(base, `s${serial++}`, '.wirehttp', 'tus');
  return { dir, store: new UploadStore({ dir, expiryMs: 60_000, lockStaleMs: 30_000, ...options }) };
}

const INIT = { target: ['in', 'f.bin'], length: 10, metadata: '', exclusive: false };

/** A PATCH request; `completed` collects the data files handed to complete(). */
function patch(offset, bytes, extra = {}) {
  const completed = [];
  return {
    completed,
    request: {
      offset,
      length: null,
      source: (async function* () {
        for (const part of Array.isArray(bytes) ? bytes : [bytes]) yield Buffer.from(part);
      })(),
      announced: undefined,
      checksum: null,
      maxLength: 1000,
      complete: async (data, info) => {
        completed.push({ bytes: readFileSync(data), info });
        renameSync(data, path.join(base, `done-${serial++}`));
      },
      ...extra,
    },
  };
}

async function statusOf(promise) {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error.name !== 'HttpError') throw error;
    return error.status;
  }
}

test('create, append in parts, complete: complete() gets the whole data once', async () => {
  const { store } = newStore();
  const id = await store.create(INIT);
  assert.match(id, /^[0-9a-f]{32}$/);
  assert.deepEqual(await store.lookup(id).then((l) => [l.state, l.offset]), ['found', 0]);
  const first = patch(0, 'hello');
  assert.equal((await store.patch(id, first.request)).offset, 5);
  assert.equal(first.completed.length, 0);
  const second = patch(5, 'world');
  const result = await store.patch(id, second.request);
  assert.equal(result.offset, 10);
  assert.equal(result.info.state, 'complete');
  assert.equal(second.completed.length, 1);
  assert.equal(second.completed[0].bytes.toString(), 'helloworld');
  // Still answers HEAD-like lookups after completion, at its full length.
  const lookup = await store.lookup(id);
  assert.deepEqual([lookup.state, lookup.offset, lookup.info.state], ['found', 10, 'complete']);
});

test('offset mismatch is 409 and writes nothing; a body beyond Upload-Length is 413 and undone', async () => {
  const { store } = newStore();
  const id = await store.create(INIT);
  await store.patch(id, patch(0, 'abc').request);
  assert.equal(await statusOf(store.patch(id, patch(0, 'xyz').request)), 409);
  assert.equal(await statusOf(store.patch(id, patch(5, 'xyz').request)), 409);
  assert.equal(await statusOf(store.patch(id, patch(3, 'x', { announced: 8 }).request)), 413);
  assert.equal(await statusOf(store.patch(id, patch(3, ['1234', '56789']).request)), 413);
  assert.equal((await store.lookup(id)).offset, 3);
});

test('checksum: a mismatching chunk is 460 and undone, a matching one kept', async () => {
  const { store } = newStore();
  const id = await store.create(INIT);
  const sha1 = (text) => ({ algorithm: 'sha1', digest: createHash('sha1').update(text).digest() });
  assert.equal(await statusOf(store.patch(id, patch(0, 'abcd', { checksum: sha1('abce') }).request)), 460);
  assert.equal((await store.lookup(id)).offset, 0);
  assert.equal(await statusOf(store.patch(id, patch(0, 'abcd', { checksum: sha1('abcd') }).request)), 'ok');
  assert.equal((await store.lookup(id)).offset, 4);
});

test('a body cut off midway keeps the bytes that arrived (resume point); with a checksum it keeps none', async () => {
  const { store } = newStore();
  const id = await store.create(INIT);
  const cut = (async function* () {
    yield Buffer.from('abc');
    throw new Error('connection lost');
  })();
  await assert.rejects(store.patch(id, patch(0, '', { source: cut }).request), /connection lost/);
  assert.equal((await store.lookup(id)).offset, 3);
  const cutAgain = (async function* () {
    yield Buffer.from('de');
    throw new Error('connection lost');
  })();
  const checksum = { algorithm: 'sha1', digest: Buffer.alloc(20) };
  await assert.rejects(store.patch(id, patch(3, '', { source: cutAgain, checksum }).request), /connection lost/);
  assert.equal((await store.lookup(id)).offset, 3);
});

test('two patchers at once: one gets 423, the data is never interleaved', async () => {
  const { store, dir } = newStore();
  const id = await store.create({ ...INIT, length: 8 });
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const slow = (async function* () {
    yield Buffer.from('AAAA');
    await gate;
    yield Buffer.from('BBBB');
  })();
  const slowPatch = patch(0, '', { source: slow });
  const first = store.patch(id, slowPatch.request);
  await new Promise((resolve) => setTimeout(resolve, 50));
  // A second store on the same folder stands for another worker process.
  const twin = new UploadStore({ dir, expiryMs: 60_000, lockStaleMs: 30_000 });
  assert.equal(await statusOf(twin.patch(id, patch(0, 'CCCCCCCC').request)), 423);
  assert.equal(await statusOf(twin.terminate(id)), 423);
  release();
  const done = await first;
  assert.equal(done.offset, 8);
  assert.equal(slowPatch.completed[0].bytes.toString(), 'AAAABBBB');
});

test('a lock left by a dead holder is taken over once stale', async () => {
  const { store, dir } = newStore({ lockStaleMs: 1000 });
  const id = await store.create(INIT);
  const lock = path.join(dir, id, 'lock');
  writeFileSync(lock, '');
  assert.equal(await statusOf(store.patch(id, patch(0, 'ab').request)), 423);
  const old = (Date.now() - 5000) / 1000;
  utimesSync(lock, old, old);
  assert.equal(await statusOf(store.patch(id, patch(0, 'ab').request)), 'ok');
  assert.ok(!existsSync(lock));
});

test('survives a restart: a new store on the same folder resumes at the same offset', async () => {
  const { store, dir } = newStore();
  const id = await store.create(INIT);
  await store.patch(id, patch(0, 'four').request);
  const restarted = new UploadStore({ dir, expiryMs: 60_000, lockStaleMs: 30_000 });
  assert.equal((await restarted.lookup(id)).offset, 4);
  const done = patch(4, 'sixsix');
  await restarted.patch(id, done.request);
  assert.equal(done.completed[0].bytes.toString(), 'foursixsix');
});

test('termination removes the upload; unknown and malformed ids are missing', async () => {
  const { store, dir } = newStore();
  const id = await store.create(INIT);
  await store.terminate(id);
  assert.equal((await store.lookup(id)).state, 'missing');
  assert.equal(await statusOf(store.terminate(id)), 404);
  assert.equal((await store.lookup('../../etc')).state, 'missing');
  assert.equal((await store.lookup('0'.repeat(32))).state, 'missing');
  assert.deepEqual(readdirSync(dir), []);
});

test('expiry: an expired upload answers 410 once, then is gone; a sweep removes the others', async () => {
  const { store, dir } = newStore({ expiryMs: 200 });
  const a = await store.create(INIT);
  const b = await store.create(INIT);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(await statusOf(store.patch(a, patch(0, 'x').request)), 410);
  assert.equal((await store.lookup(a)).state, 'missing');
  assert.equal(await store.sweep(), 1);
  assert.equal((await store.lookup(b)).state, 'missing');
  assert.deepEqual(readdirSync(dir), []);
});

test('deferred length: declared by a later PATCH, checked against the limit and the offset', async () => {
  const { store } = newStore();
  const id = await store.create({ ...INIT, length: null });
  await store.patch(id, patch(0, 'abc').request);
  assert.equal(await statusOf(store.patch(id, patch(3, 'd', { length: 2000 }).request)), 413);
  assert.equal(await statusOf(store.patch(id, patch(3, 'd', { length: 2 }).request)), 400);
  const done = patch(3, 'de', { length: 5 });
  const result = await store.patch(id, done.request);
  assert.equal(result.info.length, 5);
  assert.equal(done.completed[0].bytes.toString(), 'abcde');
});

test('a failing complete() keeps the upload whole; an empty PATCH at the end retries it', async () => {
  const { store } = newStore();
  const id = await store.create({ ...INIT, length: 3 });
  const failing = patch(0, 'xyz', { complete: async () => Promise.reject(new Error('disk trouble')) });
  await assert.rejects(store.patch(id, failing.request), /disk trouble/);
  assert.equal((await store.lookup(id)).offset, 3);
  const retry = patch(3, []);
  assert.equal((await store.patch(id, retry.request)).info.state, 'complete');
  assert.equal(retry.completed[0].bytes.toString(), 'xyz');
});

test('a patcher that stalls past the stale bound loses its lock and stops writing (409), never interleaving', async () => {
  const { store, dir } = newStore({ lockStaleMs: 200 });
  const id = await store.create({ ...INIT, length: 12 });
  let resume;
  const stalled = new Promise((resolve) => (resume = resolve));
  const slow = (async function* () {
    yield Buffer.from('AAAA');
    await stalled;
    yield Buffer.from('BBBB');
  })();
  const first = store.patch(id, patch(0, '', { source: slow }).request);
  await new Promise((resolve) => setTimeout(resolve, 400));
  // The stale lock is broken; the newcomer appends after what was written.
  const twin = new UploadStore({ dir, expiryMs: 60_000, lockStaleMs: 200 });
  const newcomer = patch(4, 'CCCCCCCC');
  assert.equal((await twin.patch(id, newcomer.request)).offset, 12);
  resume();
  assert.equal(await statusOf(first), 409);
  assert.equal(newcomer.completed[0].bytes.toString(), 'AAAACCCCCCCC');
});
