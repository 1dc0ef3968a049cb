// The in-memory cache of small files must never change what a client sees, except that edits
// made behind the server's back may take up to a second to show.
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { exchange, parseResponses } from '../../helpers.mjs';
import { startFileServer } from './file-server.mjs';

let dir;
let outside;
let server;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wirehttp-cache-'));
  outside = await mkdtemp(path.join(os.tmpdir(), 'wirehttp-outside-'));
  server = await startFileServer(['--directory', dir]);
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function get(name, headers = '') {
  const { raw } = await exchange(
    server.port,
    `GET /files/${name} HTTP/1.1\r\nHost: localhost\r\n${headers}Connection: close\r\n\r\n`,
  );
  return parseResponses(raw)[0];
}

const withoutDate = (res) => res.rawHeaders.filter(([name]) => name.toLowerCase() !== 'date');

test('a repeated GET answers with the same bytes and headers as the first', async () => {
  await writeFile(path.join(dir, 'same.bin'), Buffer.from([0, 1, 2, 255]));
  const first = await get('same.bin');
  const second = await get('same.bin');
  assert.equal(first.status, 200);
  assert.deepEqual(second.body, first.body);
  assert.deepEqual(withoutDate(second), withoutDate(first));
  const notModified = await get('same.bin', `If-None-Match: ${first.headers.etag}\r\n`);
  assert.equal(notModified.status, 304);
  assert.equal(notModified.body.length, 0);
});

test('every kind of request to a cached file gets the answer the disk gave before it was cached', async () => {
  const text = 'cached text, long enough to be compressed on the fly. '.repeat(40);
  const ask = async (name, method, headers) => {
    const { raw } = await exchange(
      server.port,
      `${method} /files/${name} HTTP/1.1\r\nHost: localhost\r\n${headers}Connection: close\r\n\r\n`,
    );
    return parseResponses(raw, { headRequests: method === 'HEAD' ? [0] : [] })[0];
  };
  const variants = [
    ['GET', ''],
    ['HEAD', ''],
    ['GET', 'Accept-Encoding: gzip\r\n'],
    ['HEAD', 'Accept-Encoding: gzip\r\n'],
    ['GET', 'Accept-Encoding: \r\n'],
    ['GET', 'Range: bytes=2-9\r\n'],
    ['GET', 'If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n'],
  ];
  for (const [index, [method, headers]] of variants.entries()) {
    const name = `variant-${index}.txt`;
    await writeFile(path.join(dir, name), text);
    const fromDisk = await ask(name, method, headers);
    const { etag } = (await get(name)).headers; // now cached
    const fromCache = await ask(name, method, headers);
    assert.equal(fromCache.status, fromDisk.status, `${method} ${headers}`);
    assert.deepEqual(withoutDate(fromCache), withoutDate(fromDisk), `${method} ${headers}`);
    assert.deepEqual(fromCache.body, fromDisk.body, `${method} ${headers}`);
    assert.equal((await ask(name, 'GET', `If-None-Match: ${etag}\r\n`)).status, 304);
  }
});

test('a file replaced through the server is served new at once', async () => {
  await writeFile(path.join(dir, 'put.txt'), 'old version');
  assert.equal((await get('put.txt')).body.toString(), 'old version');
  const body = 'new version';
  const { raw } = await exchange(
    server.port,
    `PUT /files/put.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
  assert.equal(parseResponses(raw)[0].status, 204);
  assert.equal((await get('put.txt')).body.toString(), 'new version');
});

test('a file deleted through the server is gone at once', async () => {
  await writeFile(path.join(dir, 'gone.bin'), 'bytes');
  assert.equal((await get('gone.bin')).status, 200);
  const { raw } = await exchange(server.port, 'DELETE /files/gone.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  assert.equal(parseResponses(raw)[0].status, 204);
  assert.equal((await get('gone.bin')).status, 404);
});

test('an edit behind the server\'s back shows within about a second, even at the same size', async () => {
  const file = path.join(dir, 'edited.bin');
  await writeFile(file, 'AAAA');
  assert.equal((await get('edited.bin')).body.toString(), 'AAAA');
  await writeFile(file, 'BBBB');
  await utimes(file, new Date(), new Date(Date.now() + 5000));
  await sleep(1300);
  assert.equal((await get('edited.bin')).body.toString(), 'BBBB');
});

test('a cached name that becomes a link out of the directory is refused once rechecked', async () => {
  const file = path.join(dir, 'turncoat.bin');
  await writeFile(file, 'inside');
  await writeFile(path.join(outside, 'secret.bin'), 'outside');
  assert.equal((await get('turncoat.bin')).body.toString(), 'inside');
  await unlink(file);
  await symlink(path.join(outside, 'secret.bin'), file);
  await sleep(1300);
  const res = await get('turncoat.bin');
  assert.equal(res.status, 404);
  assert.ok(!res.body.toString().includes('outside'));
});

test('a large file served from memory keeps its exact bytes and length', async () => {
  const big = Buffer.alloc(700 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  await writeFile(path.join(dir, 'big.bin'), big);
  for (let round = 0; round < 2; round++) {
    const res = await get('big.bin');
    assert.equal(res.status, 200);
    assert.equal(Number(res.headers['content-length']), big.length);
    assert.ok(res.body.equals(big));
  }
});

/** A GET or HEAD with a body ready to be read, sent with `headers`. */
async function ask(method, name, headers) {
  const { raw } = await exchange(server.port, `${method} /files/${name} HTTP/1.1\r\nHost: localhost\r\n${headers}Connection: close\r\n\r\n`);
  return parseResponses(raw, { headRequests: method === 'HEAD' ? [0] : [] })[0];
}

const GZIP = 'Accept-Encoding: gzip\r\n';

test('a compressed body is kept with the cached file and sent with a Content-Length', async () => {
  const file = path.join(dir, 'coded.txt');
  const text = Buffer.from('kept compressed in memory, sent whole. '.repeat(200));
  await writeFile(file, text);
  const first = await ask('GET', 'coded.txt', GZIP);
  assert.equal(first.headers['content-encoding'], 'gzip');
  assert.equal(first.headers['transfer-encoding'], undefined);
  assert.equal(Number(first.headers['content-length']), first.body.length);
  assert.deepEqual(gunzipSync(first.body), text);
  // A range is still taken from the file as it is, never from a coded body.
  const ranged = await ask('GET', 'coded.txt', `${GZIP}Range: bytes=0-9\r\n`);
  assert.equal(ranged.status, 206);
  assert.equal(ranged.headers['content-encoding'], undefined);
  assert.deepEqual(ranged.body, text.subarray(0, 10));
  // Replaced behind the server's back within the second: the kept compressed bytes still answer.
  await writeFile(file, 'replaced on disk');
  const second = await ask('GET', 'coded.txt', GZIP);
  assert.deepEqual(withoutDate(second), withoutDate(first));
  assert.deepEqual(second.body, first.body);
  assert.equal((await ask('GET', 'coded.txt', `${GZIP}If-None-Match: ${first.headers.etag}\r\n`)).status, 304);
  const head = await ask('HEAD', 'coded.txt', GZIP);
  assert.equal(head.headers['content-encoding'], 'gzip');
  assert.equal(head.headers.etag, first.headers.etag);
  assert.equal(head.headers['content-length'], undefined, 'HEAD does not compress to learn the length');
  const identity = await ask('GET', 'coded.txt', '');
  assert.equal(identity.headers['content-encoding'], undefined);
  assert.deepEqual(identity.body, text);
  // Checked against the disk again after the second: the new version is compressed.
  await sleep(1300);
  const changed = await ask('GET', 'coded.txt', 'Accept-Encoding: br, gzip\r\n');
  assert.equal(changed.headers['content-encoding'], undefined, 'too small to compress now');
  assert.equal(changed.body.toString(), 'replaced on disk');
});

test('a file replaced through the server is served compressed in its new version at once', async () => {
  const old = 'the old version, compressed. '.repeat(100);
  await writeFile(path.join(dir, 'recoded.txt'), old);
  assert.equal(gunzipSync((await ask('GET', 'recoded.txt', GZIP)).body).toString(), old);
  const body = 'the new version, compressed. '.repeat(100);
  const { raw } = await exchange(
    server.port,
    `PUT /files/recoded.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
  assert.equal(parseResponses(raw)[0].status, 204);
  for (let round = 0; round < 2; round++) {
    const res = await ask('GET', 'recoded.txt', GZIP);
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(res.body).toString(), body);
  }
});

test('a stored copy put beside a cached file is served once the disk is checked again', async () => {
  const file = path.join(dir, 'later.txt');
  const text = 'compressed on the fly until a stored copy appears. '.repeat(100);
  await writeFile(file, text);
  assert.equal(gunzipSync((await ask('GET', 'later.txt', GZIP)).body).toString(), text);
  const stored = gzipSync(text, { level: 9 });
  await writeFile(`${file}.gz`, stored);
  await sleep(1300);
  // A plain request rechecks the file but not its stored copies: that must not keep the coded body current.
  assert.equal((await ask('GET', 'later.txt', '')).body.toString(), text);
  const res = await ask('GET', 'later.txt', GZIP);
  assert.deepEqual(res.body, stored);
  assert.equal(res.headers['content-length'], String(stored.length));
});
