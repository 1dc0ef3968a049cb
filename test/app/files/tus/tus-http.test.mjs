// The tus protocol on the wire against the real CLI: statuses, headers, limits, placement.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connect, startCli } from '../../../helpers.mjs';
import { libraryMount, startFileServer } from '../file-server.mjs';
import { PATCH_TYPE, TUS, create, metadata, patch, request, servedDir } from './tus-helpers.mjs';

let root;
let server;
before(async () => {
  root = servedDir();
  server = await startFileServer(['--directory', root, '--max-body-size', '4M']);
});
after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

const idOf = (url) => new URLSearchParams(url.split('?')[1]).get('upload');

test('OPTIONS advertises the version, extensions, size limit and checksum algorithms', async () => {
  const res = await request(server.port, 'OPTIONS', '/files/in/');
  assert.equal(res.status, 204);
  assert.equal(res.headers['tus-resumable'], '1.0.0');
  assert.equal(res.headers['tus-version'], '1.0.0');
  assert.match(res.headers['tus-extension'], /creation,creation-with-upload.*termination,expiration,checksum/);
  assert.equal(res.headers['tus-max-size'], String(4 * 1024 * 1024));
  assert.match(res.headers['tus-checksum-algorithm'], /sha1/);
  assert.match(res.headers.allow, /PATCH/);
});

test('create, HEAD, PATCH twice: the file appears only when whole, with Tus-Resumable everywhere', async () => {
  const url = await create(server.port, '/files/in/', 'two parts.txt', 10);
  assert.match(url, /^\/files\/in\/\?upload=[0-9a-f]{32}$/);
  const head = await request(server.port, 'HEAD', url, { headers: TUS });
  assert.equal(head.status, 200);
  assert.equal(head.headers['upload-offset'], '0');
  assert.equal(head.headers['upload-length'], '10');
  assert.equal(head.headers['upload-metadata'], metadata({ filename: 'two parts.txt' }));
  assert.equal(head.headers['cache-control'], 'no-store');
  assert.ok(Date.parse(head.headers['upload-expires']) > Date.now());
  const first = await patch(server.port, url, 0, 'hello');
  assert.equal(first.status, 204);
  assert.equal(first.headers['upload-offset'], '5');
  assert.equal(first.headers['tus-resumable'], '1.0.0');
  assert.ok(!existsSync(path.join(root, 'in', 'two parts.txt')));
  const second = await patch(server.port, url, 5, 'world');
  assert.equal(second.headers['upload-offset'], '10');
  assert.equal(readFileSync(path.join(root, 'in', 'two parts.txt'), 'utf8'), 'helloworld');
  // A finished upload still answers HEAD (a client whose last answer was lost can tell).
  const done = await request(server.port, 'HEAD', url, { headers: TUS });
  assert.deepEqual([done.status, done.headers['upload-offset']], [200, '10']);
});

test('offset mismatch is 409; checksum mismatch is 460; a matching sha1 is accepted', async () => {
  const url = await create(server.port, '/files/in/', 'sums.bin', 8);
  const wrong = await patch(server.port, url, 3, 'abcd');
  assert.equal(wrong.status, 409);
  assert.equal(wrong.headers['tus-resumable'], '1.0.0');
  const sha1 = (text) => `sha1 ${createHash('sha1').update(text).digest('base64')}`;
  const bad = await patch(server.port, url, 0, 'abcd', { 'Upload-Checksum': sha1('abce') });
  assert.equal(bad.status, 460);
  assert.equal(bad.headers['tus-resumable'], '1.0.0');
  assert.equal((await request(server.port, 'HEAD', url, { headers: TUS })).headers['upload-offset'], '0');
  const good = await patch(server.port, url, 0, 'abcd', { 'Upload-Checksum': sha1('abcd') });
  assert.deepEqual([good.status, good.headers['upload-offset']], [204, '4']);
  const unknown = await patch(server.port, url, 4, 'efgh', { 'Upload-Checksum': 'crc32 AAAAAA==' });
  assert.equal(unknown.status, 400);
});

test('a body beyond Upload-Length is refused (413) and nothing of it is kept', async () => {
  const url = await create(server.port, '/files/in/', 'short.bin', 4);
  assert.equal((await patch(server.port, url, 0, 'too long')).status, 413);
  assert.equal((await request(server.port, 'HEAD', url, { headers: TUS })).headers['upload-offset'], '0');
});

test('--max-body-size applies to Upload-Length (413 at creation)', async () => {
  const res = await request(server.port, 'POST', '/files/in/', {
    headers: { ...TUS, 'Upload-Length': String(5 * 1024 * 1024), 'Upload-Metadata': metadata({ filename: 'huge.bin' }) },
  });
  assert.equal(res.status, 413);
  assert.equal(res.headers['tus-resumable'], '1.0.0');
});

test('version, content type and metadata are checked: 412 with Tus-Version, 415, 400, names like PUT', async () => {
  const old = await request(server.port, 'POST', '/files/in/', {
    headers: { 'Tus-Resumable': '0.2.2', 'Upload-Length': '1', 'Upload-Metadata': metadata({ filename: 'a' }) },
  });
  assert.deepEqual([old.status, old.headers['tus-version'], old.headers['tus-resumable']], [412, '1.0.0', '1.0.0']);
  const url = await create(server.port, '/files/in/', 'typed.bin', 2);
  const untyped = await request(server.port, 'PATCH', url, { headers: { ...TUS, 'Upload-Offset': '0' }, body: 'ab' });
  assert.equal(untyped.status, 415);
  const noVersion = await request(server.port, 'PATCH', url, { headers: { ...PATCH_TYPE, 'Upload-Offset': '0' }, body: 'ab' });
  assert.equal(noVersion.status, 412);
  const statusFor = async (headers) => (await request(server.port, 'POST', '/files/in/', { headers: { ...TUS, 'Upload-Length': '1', ...headers } })).status;
  assert.equal(await statusFor({}), 400, 'no filename');
  assert.equal(await statusFor({ 'Upload-Metadata': 'filename %%%' }), 400, 'not base64');
  assert.equal(await statusFor({ 'Upload-Metadata': metadata({ filename: '../escape' }) }), 400);
  assert.equal(await statusFor({ 'Upload-Metadata': metadata({ filename: '..' }) }), 400);
  assert.equal(await statusFor({ 'Upload-Metadata': metadata({ filename: '.hidden' }) }), 404);
  assert.equal(await statusFor({ 'Upload-Metadata': metadata({ filename: '.wirehttp' }) }), 404);
  assert.equal(await statusFor({ 'Upload-Metadata': metadata({ filename: 'n'.repeat(300) }) }), 400, 'over NAME_MAX, as for PUT');
  assert.equal(await statusFor({ 'Upload-Length': '1', 'Upload-Defer-Length': '1', 'Upload-Metadata': metadata({ filename: 'x' }) }), 400);
  // The folder itself must be a folder URL; a file URL is not a creation endpoint.
  const onFile = await request(server.port, 'POST', '/files/in/x', { headers: { ...TUS, 'Upload-Length': '1', 'Upload-Metadata': metadata({ filename: 'x' }) } });
  assert.equal(onFile.status, 404);
});

test('an upload is reachable only under the folder it was created on', async () => {
  const url = await create(server.port, '/files/in/', 'mine.bin', 3);
  const elsewhere = url.replace('/files/in/', '/files/');
  assert.equal((await request(server.port, 'HEAD', elsewhere, { headers: TUS })).status, 404);
  assert.equal((await patch(server.port, elsewhere, 0, 'abc')).status, 404);
  assert.equal((await request(server.port, 'HEAD', '/files/in/?upload=../../etc', { headers: TUS })).status, 404);
});

test('overwrite rules as PUT: replaces by default, 412 with If-None-Match: * (at creation and at the end)', async () => {
  writeFileSync(path.join(root, 'in', 'existing.txt'), 'old');
  const url = await create(server.port, '/files/in/', 'existing.txt', 3);
  await patch(server.port, url, 0, 'new');
  assert.equal(readFileSync(path.join(root, 'in', 'existing.txt'), 'utf8'), 'new');
  const refused = await request(server.port, 'POST', '/files/in/', {
    headers: { ...TUS, 'Upload-Length': '3', 'Upload-Metadata': metadata({ filename: 'existing.txt' }), 'If-None-Match': '*' },
  });
  assert.equal(refused.status, 412);
  // Created while the name was free; someone else's file appears before the last byte.
  const racing = await create(server.port, '/files/in/', 'race.txt', 3, { 'If-None-Match': '*' });
  writeFileSync(path.join(root, 'in', 'race.txt'), 'theirs');
  assert.equal((await patch(server.port, racing, 0, 'our')).status, 412);
  assert.equal(readFileSync(path.join(root, 'in', 'race.txt'), 'utf8'), 'theirs');
  // The same via metadata.
  const viaMetadata = await request(server.port, 'POST', '/files/in/', {
    headers: { ...TUS, 'Upload-Length': '3', 'Upload-Metadata': metadata({ filename: 'existing.txt', 'if-none-match': '*' }) },
  });
  assert.equal(viaMetadata.status, 412);
  // A directory in the way is 409, as for PUT.
  const dirInTheWay = await request(server.port, 'POST', '/files/', {
    headers: { ...TUS, 'Upload-Length': '3', 'Upload-Metadata': metadata({ filename: 'in' }) },
  });
  assert.equal(dirInTheWay.status, 409);
});

test('creation-with-upload and an empty file complete in the POST; POST without Tus-Resumable is a plain upload', async () => {
  const withBody = await request(server.port, 'POST', '/files/in/', {
    headers: { ...TUS, ...PATCH_TYPE, 'Upload-Length': '5', 'Upload-Metadata': metadata({ filename: 'inline.txt' }) },
    body: '12345',
  });
  assert.deepEqual([withBody.status, withBody.headers['upload-offset']], [201, '5']);
  assert.equal(readFileSync(path.join(root, 'in', 'inline.txt'), 'utf8'), '12345');
  const empty = await request(server.port, 'POST', '/files/in/', {
    headers: { ...TUS, 'Upload-Length': '0', 'Upload-Metadata': metadata({ filename: 'empty.txt' }) },
  });
  assert.equal(empty.status, 201);
  assert.equal(readFileSync(path.join(root, 'in', 'empty.txt'), 'utf8'), '');
  const plain = await request(server.port, 'POST', '/files/in/plain.txt', { body: 'plain' });
  assert.equal(plain.status, 201);
  assert.equal(readFileSync(path.join(root, 'in', 'plain.txt'), 'utf8'), 'plain');
});

test('deferred length: declared by a later PATCH', async () => {
  const res = await request(server.port, 'POST', '/files/in/', {
    headers: { ...TUS, 'Upload-Defer-Length': '1', 'Upload-Metadata': metadata({ filename: 'deferred.txt' }) },
  });
  assert.equal(res.status, 201);
  const url = res.headers.location;
  assert.equal((await request(server.port, 'HEAD', url, { headers: TUS })).headers['upload-defer-length'], '1');
  await patch(server.port, url, 0, 'abc');
  const last = await patch(server.port, url, 3, 'de', { 'Upload-Length': '5' });
  assert.equal(last.status, 204);
  assert.equal(readFileSync(path.join(root, 'in', 'deferred.txt'), 'utf8'), 'abcde');
});

test('termination: DELETE removes an unfinished upload; DELETE without an upload id keeps its meaning', async () => {
  const url = await create(server.port, '/files/in/', 'gone.bin', 10);
  await patch(server.port, url, 0, 'abc');
  const del = await request(server.port, 'DELETE', url, { headers: TUS });
  assert.deepEqual([del.status, del.headers['tus-resumable']], [204, '1.0.0']);
  assert.equal((await request(server.port, 'HEAD', url, { headers: TUS })).status, 404);
  assert.ok(!existsSync(path.join(root, '.wirehttp', 'tus', idOf(url))));
  // Without ?upload=ID, DELETE is the file server's own: WebDAV's on the CLI (a folder goes with
  // its content); serveFiles, without WebDAV, removes only empty folders.
  assert.equal((await request(server.port, 'PUT', '/files/in-del/kept.txt', { body: 'x' })).status, 201);
  if (libraryMount) {
    assert.equal((await request(server.port, 'DELETE', '/files/in-del/')).status, 409);
    assert.ok(existsSync(path.join(root, 'in-del', 'kept.txt')));
  } else {
    assert.equal((await request(server.port, 'DELETE', '/files/in-del/')).status, 204);
    assert.ok(!existsSync(path.join(root, 'in-del')));
  }
  assert.ok(existsSync(path.join(root, 'in')), 'the upload folder itself is untouched');
});

test('expiry: an expired upload answers 410, then 404, and its folder is removed', async () => {
  const url = await create(server.port, '/files/in/', 'late.bin', 10);
  await patch(server.port, url, 0, 'abc');
  const infoFile = path.join(root, '.wirehttp', 'tus', idOf(url), 'info.json');
  const info = JSON.parse(readFileSync(infoFile, 'utf8'));
  writeFileSync(infoFile, JSON.stringify({ ...info, expiresAt: Date.now() - 1000 }));
  assert.equal((await request(server.port, 'HEAD', url, { headers: TUS })).status, 410);
  assert.equal((await patch(server.port, url, 3, 'def')).status, 404);
  assert.ok(!readdirSync(path.join(root, '.wirehttp', 'tus')).some((name) => name.startsWith(idOf(url))));
});

test('two patchers at once: the second gets 423 while the first streams; bytes never interleave', async () => {
  const size = 2 * 1024 * 1024;
  const url = await create(server.port, '/files/in/', 'contended.bin', size);
  const mine = randomBytes(size);
  const socket = await connect(server.port);
  const answer = new Promise((resolve) => {
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('end', () => resolve(text));
  });
  socket.write(
    `PATCH ${url} HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n` +
      `Upload-Offset: 0\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(mine.subarray(0, size / 2));
  const lock = path.join(root, '.wirehttp', 'tus', idOf(url), 'lock');
  for (let i = 0; i < 200 && !existsSync(lock); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(existsSync(lock), 'the first PATCH holds the lock');
  const other = await patch(server.port, url, 0, randomBytes(size));
  assert.ok([409, 423].includes(other.status), `second patcher: ${other.status}`);
  assert.equal(other.headers['tus-resumable'], '1.0.0');
  socket.end(mine.subarray(size / 2));
  assert.match(await answer, /^HTTP\/1\.1 204/);
  assert.ok(readFileSync(path.join(root, 'in', 'contended.bin')).equals(mine));
});

test('--workers 2: two patchers on different connections, one wins, state shared', { skip: libraryMount && 'a CLI flag' }, async () => {
  const dir = servedDir();
  const workers = await startCli(['--directory', dir, '--workers', '2']);
  try {
    const size = 3 * 1024 * 1024;
    const url = await create(workers.port, '/files/in/', 'shared.bin', size);
    const a = randomBytes(size);
    const b = randomBytes(size);
    const results = await Promise.all([patch(workers.port, url, 0, a), patch(workers.port, url, 0, b)]);
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses[0], 204, `statuses ${statuses}`);
    assert.ok([409, 423].includes(statuses[1]), `statuses ${statuses}`);
    const stored = readFileSync(path.join(dir, 'in', 'shared.bin'));
    assert.ok(stored.equals(a) || stored.equals(b), 'one body whole, never a mix');
    // Every worker sees the finished upload.
    for (let i = 0; i < 4; i++) assert.equal((await request(workers.port, 'HEAD', url, { headers: TUS })).headers['upload-offset'], String(size));
  } finally {
    await workers.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('refusals in front of the tus handlers say Tus-Resumable too: --read-only 403, a login asked for 401', { skip: libraryMount && 'CLI flags' }, async () => {
  const dir = servedDir();
  const creation = { ...TUS, 'Upload-Length': '1', 'Upload-Metadata': metadata({ filename: 'a.txt' }) };
  for (const [flags, status] of [[['--read-only'], 403], [['--auth', 'alice:secret@/:rw'], 401]]) {
    const guarded = await startCli(['--directory', dir, '--quiet', ...flags]);
    try {
      const refused = await request(guarded.port, 'POST', '/files/in/', { headers: creation });
      assert.deepEqual([refused.status, refused.headers['tus-resumable']], [status, '1.0.0'], flags.join(' '));
      const plain = await request(guarded.port, 'PUT', '/files/in/a.txt', { body: 'a' });
      assert.deepEqual([plain.status, plain.headers['tus-resumable']], [status, undefined], 'a request without tus gets no tus header');
    } finally {
      await guarded.stop();
    }
  }
  rmSync(dir, { recursive: true, force: true });
});
