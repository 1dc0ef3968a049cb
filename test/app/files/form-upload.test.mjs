// POST of multipart/form-data: files stored under their names, everything or nothing, streamed.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connect, exchange, parseResponses, rssOf } from '../../helpers.mjs';
import { startFileServer } from './file-server.mjs';

const BOUNDARY = '----wirehttpFormBoundary7MA4YWxkTrZu0gW';

/** A multipart body: parts are { name, filename?, data }. */
function formBody(parts) {
  const pieces = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.filename === undefined ? '' : 'Content-Type: application/octet-stream\r\n';
    pieces.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(pieces);
}

function formRequest(port, target, body, extra = '') {
  return Buffer.concat([
    Buffer.from(
      `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n${extra}\r\n`,
    ),
    body,
  ]);
}

/** Everything under `dir` except the server's own names, as sorted relative paths. */
async function tree(dir) {
  const names = await readdir(dir, { recursive: true });
  return names.sort();
}

let dir;
let server;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-form-'));
  server = await startFileServer(['--directory', dir, '--quiet']);
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

async function post(target, parts, { pieces = 1, extra = '' } = {}) {
  const raw = formRequest(server.port, target, formBody(parts), extra);
  const size = Math.ceil(raw.length / pieces);
  const split = [];
  for (let i = 0; i < raw.length; i += size) split.push(raw.subarray(i, i + size));
  const { raw: answer } = await exchange(server.port, pieces === 1 ? raw : split, { delayMs: pieces === 1 ? 0 : 2, idleMs: 3000 });
  const [response] = parseResponses(answer);
  return response;
}

test('to a folder URL: each file part under its own name, fields ignored, the answer lists them', async () => {
  await mkdir(path.join(dir, 'inbox'));
  const res = await post('/files/inbox/', [
    { name: 'note', data: 'a field, not a file' },
    { name: 'file', filename: 'a.txt', data: 'first' },
    { name: 'file', filename: 'b b.bin', data: Buffer.from([0, 1, 2, 13, 10, 45, 45]) },
  ]);
  assert.equal(res.status, 201);
  assert.equal(res.body.toString(), 'stored /files/inbox/a.txt (5 bytes)\nstored /files/inbox/b%20b.bin (7 bytes)\n');
  assert.equal(await readFile(path.join(dir, 'inbox/a.txt'), 'utf8'), 'first');
  assert.deepEqual(await readFile(path.join(dir, 'inbox/b b.bin')), Buffer.from([0, 1, 2, 13, 10, 45, 45]));
  assert.deepEqual(await tree(path.join(dir, 'inbox')), ['a.txt', 'b b.bin']);
});

test('to a file URL: the one file part is stored as that file (not the multipart wrapper)', async () => {
  const res = await post('/files/data.json', [{ name: 'file', filename: 'whatever.json', data: '{"ok":true}' }], { extra: 'Accept: application/json\r\n' });
  assert.equal(res.status, 201);
  assert.deepEqual(JSON.parse(res.body.toString()), { stored: [{ name: 'data.json', url: '/files/data.json', size: 11 }] });
  assert.equal(await readFile(path.join(dir, 'data.json'), 'utf8'), '{"ok":true}');
  const two = await post('/files/two.json', [
    { name: 'a', filename: 'a', data: '1' },
    { name: 'b', filename: 'b', data: '2' },
  ]);
  assert.equal(two.status, 400);
  await assert.rejects(readFile(path.join(dir, 'two.json')), { code: 'ENOENT' });
});

test('boundaries split across every few bytes of the stream still parse exactly', async () => {
  const data = Buffer.alloc(5000, 0);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
  // Bytes that look like the start of a boundary inside the data must not end the part.
  data.write(`\r\n--${BOUNDARY.slice(0, 20)}`, 1000);
  const res = await post('/files/split/', [{ name: 'f', filename: 'split.bin', data }], { pieces: 97 });
  assert.equal(res.status, 201);
  assert.deepEqual(await readFile(path.join(dir, 'split/split.bin')), data);
});

test('names with ../ are refused and nothing of the form is stored', async () => {
  for (const filename of ['../escape.txt', 'a/../../escape.txt', '..', 'a\\b.txt', '.wirehttp/x']) {
    const res = await post('/files/safe/', [
      { name: 'f', filename: 'fine.txt', data: 'fine' },
      { name: 'f', filename, data: 'evil' },
    ]);
    assert.ok(res.status === 400 || res.status === 404, `${filename}: ${res.status}`);
    await assert.rejects(readFile(path.join(dir, 'escape.txt')), { code: 'ENOENT' });
    await assert.rejects(readFile(path.join(dir, 'safe/fine.txt')), { code: 'ENOENT' }, `${filename}: nothing stored`);
  }
  // A name with sub-folders keeps them, inside the target folder.
  const res = await post('/files/safe/', [{ name: 'f', filename: 'sub/deeper/x.txt', data: 'kept' }]);
  assert.equal(res.status, 201);
  assert.equal(await readFile(path.join(dir, 'safe/sub/deeper/x.txt'), 'utf8'), 'kept');
  assert.deepEqual((await readdir(path.join(dir, 'safe'))).sort(), ['sub'], 'no temporary file left');
});

test('empty parts: an empty file is stored, a file input left empty is skipped, no file at all is a 400', async () => {
  const res = await post('/files/empty/', [
    { name: 'f', filename: 'zero.txt', data: '' },
    { name: 'g', filename: '', data: '' },
  ]);
  assert.equal(res.status, 201);
  assert.equal(res.body.toString(), 'stored /files/empty/zero.txt (0 bytes)\n');
  assert.deepEqual(await tree(path.join(dir, 'empty')), ['zero.txt']);
  const none = await post('/files/empty/', [{ name: 'only', data: 'a field' }]);
  assert.equal(none.status, 400);
});

test('If-None-Match: * refuses the whole form when one name exists', async () => {
  await mkdir(path.join(dir, 'cond'));
  await writeFile(path.join(dir, 'cond/old.txt'), 'old');
  const res = await post(
    '/files/cond/',
    [
      { name: 'f', filename: 'new.txt', data: 'new' },
      { name: 'f', filename: 'old.txt', data: 'replaced' },
    ],
    { extra: 'If-None-Match: *\r\n' },
  );
  assert.equal(res.status, 412);
  assert.equal(await readFile(path.join(dir, 'cond/old.txt'), 'utf8'), 'old');
  assert.deepEqual(await tree(path.join(dir, 'cond')), ['old.txt']);
});

test('a raw POST body keeps its exact bytes, whatever its content type', async () => {
  const body = formBody([{ name: 'f', filename: 'x', data: 'y' }]);
  const raw = Buffer.concat([
    Buffer.from(`POST /files/raw.txt HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`),
    body,
  ]);
  const [res] = parseResponses((await exchange(server.port, raw)).raw);
  assert.equal(res.status, 201);
  assert.deepEqual(await readFile(path.join(dir, 'raw.txt')), body);
});

test('a connection cut mid-part stores nothing and leaves no temporary file', async () => {
  await mkdir(path.join(dir, 'cut'));
  const body = formBody([
    { name: 'f', filename: 'complete.txt', data: 'complete' },
    { name: 'f', filename: 'partial.bin', data: Buffer.alloc(1024 * 1024, 7) },
  ]);
  const raw = formRequest(server.port, '/files/cut/', body);
  const socket = await connect(server.port);
  socket.write(raw.subarray(0, raw.length - 300_000));
  await new Promise((resolve) => setTimeout(resolve, 300));
  socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(await tree(path.join(dir, 'cut')), []);
});

/** Does `name` exist below the served folder? */
async function exists(name) {
  return readdir(path.join(dir, name)).then(() => true, () => false);
}

test('a failed form to a folder that did not exist leaves no folder behind, only the levels it made', async () => {
  // A refused name: 400, and the three levels the form made are gone.
  const refused = await post('/files/fresh/a/b/', [
    { name: 'f', filename: 'fine.txt', data: 'fine' },
    { name: 'f', filename: '../../../../escape.txt', data: 'evil' },
  ]);
  assert.equal(refused.status, 400);
  assert.equal(await exists('fresh'), false);
  // A form without a file: the folder it made for nothing goes too.
  assert.equal((await post('/files/nothing/', [{ name: 'only', data: 'a field' }])).status, 400);
  assert.equal(await exists('nothing'), false);
  // Below a folder that was there before, only the new levels go.
  await mkdir(path.join(dir, 'before'));
  await writeFile(path.join(dir, 'before/kept.txt'), 'kept');
  assert.equal((await post('/files/before/new/', [{ name: 'f', filename: '..', data: 'x' }])).status, 400);
  assert.deepEqual(await tree(path.join(dir, 'before')), ['kept.txt']);
  // The same form with good names stores its files there.
  assert.equal((await post('/files/fresh/a/b/', [{ name: 'f', filename: 'fine.txt', data: 'fine' }])).status, 201);
  assert.equal(await readFile(path.join(dir, 'fresh/a/b/fine.txt'), 'utf8'), 'fine');
});

test('a connection cut mid-part to a new folder leaves no folder behind', async () => {
  const body = formBody([{ name: 'f', filename: 'partial.bin', data: Buffer.alloc(1024 * 1024, 7) }]);
  const raw = formRequest(server.port, '/files/cut-new/deeper/', body);
  const socket = await connect(server.port);
  socket.write(raw.subarray(0, raw.length - 300_000));
  // The folder is made before the first part arrives; wait until the part's bytes are landing.
  for (let i = 0; i < 100 && !(await exists('cut-new/deeper')); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(await exists('cut-new/deeper'), true, 'the form made its folder');
  socket.destroy();
  for (let i = 0; i < 100 && (await exists('cut-new')); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(await exists('cut-new'), false);
});

test('a body that breaks before the form reads it ends the form and leaves no folder behind', async () => {
  // Head, a first chunk and broken chunk framing in one write: the connection fails the body
  // while the form still makes its folder, before it listens to the body.
  const part = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\n${'a'.repeat(1000)}`);
  const raw = Buffer.concat([
    Buffer.from(
      `POST /files/broken-early/ HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
        'Transfer-Encoding: chunked\r\n\r\n',
    ),
    Buffer.from(`${part.length.toString(16)}\r\n`),
    part,
    Buffer.from('\r\nnot-a-size\r\n'),
  ]);
  const { raw: answer } = await exchange(server.port, raw, { idleMs: 1000 });
  assert.equal(parseResponses(answer)[0]?.status, 400);
  // The connection answers at once; the form makes its folder just after, then must remove it.
  for (let i = 0; i < 50 && !(await exists('broken-early')); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  for (let i = 0; i < 100 && (await exists('broken-early')); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(await exists('broken-early'), false, 'the form never finished: its folder stayed');
});

test('a form whose new folder a failed form removed meanwhile makes it again', async () => {
  const open = async (body) => {
    const socket = await connect(server.port);
    const answer = [];
    socket.on('data', (d) => answer.push(d));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const raw = formRequest(server.port, '/files/shared-new/', body);
    const head = raw.indexOf('\r\n\r\n') + 4;
    socket.write(raw.subarray(0, head));
    return { socket, rest: raw.subarray(head), answer: async () => (await closed, parseResponses(Buffer.concat(answer))[0]) };
  };
  const failing = await open(formBody([{ name: 'f', filename: '../bad', data: 'x' }]));
  for (let i = 0; i < 100 && !(await exists('shared-new')); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  // The second form starts while the folder exists, so it did not make it.
  const good = await open(formBody([{ name: 'f', filename: 'kept.txt', data: 'kept' }]));
  await new Promise((resolve) => setTimeout(resolve, 200));
  failing.socket.write(failing.rest);
  assert.equal((await failing.answer()).status, 400);
  assert.equal(await exists('shared-new'), false, 'the failed form removed the folder it made');
  good.socket.write(good.rest);
  const res = await good.answer();
  assert.equal(res.status, 201, res.body.toString());
  assert.equal(await readFile(path.join(dir, 'shared-new/kept.txt'), 'utf8'), 'kept');
});

test('forms too large for --max-body-size leave no folder behind and the server up', async () => {
  const small = await startFileServer(['--directory', dir, '--quiet', '--max-body-size', '64K']);
  try {
    const body = formBody([{ name: 'f', filename: 'big.bin', data: Buffer.alloc(200 * 1024, 1) }]);
    // Chunked in 16 KiB chunks, so the limit is only found mid-part, after the folder was made.
    const pieces = [];
    for (let at = 0; at < body.length; at += 16 * 1024) {
      const chunk = body.subarray(at, at + 16 * 1024);
      pieces.push(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    }
    pieces.push(Buffer.from('0\r\n\r\n'));
    // Sent at different paces, the limit is crossed at different points of the form's handling:
    // also while the file part still waits for its folder to be made.
    for (const delayMs of [0, 1, 5, 20]) {
      const head =
        `POST /files/too-large-${delayMs}/ HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
        'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
      const { raw } = await exchange(small.port, [Buffer.from(head), ...pieces], { delayMs, idleMs: 2000 });
      const [res] = parseResponses(raw);
      assert.equal(res.status, 413, res.body.toString());
    }
    const { raw } = await exchange(small.port, `GET /files/ HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\nConnection: close\r\n\r\n`);
    assert.equal(parseResponses(raw)[0]?.status, 200, 'the server still answers');
    // The connection answers 413 as soon as the limit is crossed; the handler removes the
    // folder once its staged part is discarded, which may come just after.
    const left = async () => (await readdir(dir)).filter((name) => name.startsWith('too-large-'));
    for (let i = 0; i < 100 && (await left()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await left(), []);
  } finally {
    await small.stop();
  }
});

test('a 200 MiB part is streamed to disk with flat server memory', { timeout: 120_000 }, async (t) => {
  const total = 200 * 1024 * 1024;
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="big.bin"\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const socket = await connect(server.port);
  const answer = [];
  socket.on('data', (d) => answer.push(d));
  const ended = new Promise((resolve) => socket.once('close', resolve));
  socket.write(
    `POST /files/big/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
      `Content-Length: ${head.length + total + tail.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(head);
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  const samples = [await rssOf(server.pid)];
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
    if (sent % (8 * chunk.length) === 0) samples.push(await rssOf(server.pid));
  }
  socket.end(tail);
  await ended;
  const [res] = parseResponses(Buffer.concat(answer));
  assert.equal(res.status, 201, res.body.toString());
  const peak = Math.max(...samples);
  t.diagnostic(`server RSS ${(samples[0] / 1024 ** 2).toFixed(1)} MiB before, peak ${(peak / 1024 ** 2).toFixed(1)} MiB over ${samples.length} samples`);
  assert.ok(peak - samples[0] < 64 * 1024 ** 2, `RSS grew by ${((peak - samples[0]) / 1024 ** 2).toFixed(1)} MiB`);
  const stored = await readFile(path.join(dir, 'big/big.bin'));
  assert.equal(stored.length, total);
  assert.ok(stored.every((byte) => byte === 0x5a));
});
