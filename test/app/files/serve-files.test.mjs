// serveFiles on a library user's own route: the mount's path in links and Location, and the
// listing and uploads switches.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createServer, Router } from '../../../dist/index.js';
import { serveFiles } from '../../../dist/app/files/public.js';

let dir;
let server;
let origin;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-serve-files-'));
  await writeFile(path.join(dir, 'a.txt'), 'file a');
  const router = new Router()
    .get('/static/*', serveFiles(dir))
    .get('/plain/*', serveFiles(dir, { listing: false }))
    .put('/drop%20box/*', serveFiles(dir, { uploads: true }))
    .get('/drop%20box/*', serveFiles(dir, { uploads: true }));
  server = createServer(router.handle);
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${port}`;
});
after(async () => {
  await server.close(100);
  await rm(dir, { recursive: true, force: true });
});

test('files and listings under the mount, with links relative to it', async () => {
  assert.equal(await (await fetch(`${origin}/static/a.txt`)).text(), 'file a');
  const listing = await (await fetch(`${origin}/static/`)).text();
  assert.match(listing, /<a href="\/static\/">static<\/a>/);
  // Without WebDAV there is no MOVE: the page offers no rename.
  const data = JSON.parse(/<script type="application\/json" id="listing-data">(.*?)<\/script>/s.exec(listing)[1]);
  assert.equal(data.can.move, false);
  assert.equal(data.base, '/static/');
  const json = await (await fetch(`${origin}/static/`, { headers: { accept: 'application/json' } })).json();
  assert.deepEqual(json.map((entry) => entry.name), ['a.txt']);
});

test('listing off: a directory answers 404, files are still served', async () => {
  assert.equal((await fetch(`${origin}/plain/`)).status, 404);
  assert.equal((await fetch(`${origin}/plain/a.txt`)).status, 200);
});

test('uploads off by default: 405 with Allow; on: stored, Location under the mount', async () => {
  const router = new Router().on('PUT', '/ro/*', serveFiles(dir));
  const readOnly = createServer(router.handle);
  const [{ port }] = await readOnly.listen({ port: 0, host: '127.0.0.1' });
  try {
    const res = await fetch(`http://127.0.0.1:${port}/ro/new.txt`, { method: 'PUT', body: 'x' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD, OPTIONS');
  } finally {
    await readOnly.close(100);
  }
  const stored = await fetch(`${origin}/drop%20box/sub/new.txt`, { method: 'PUT', body: 'uploaded' });
  assert.equal(stored.status, 201);
  assert.equal(stored.headers.get('location'), '/drop%20box/sub/new.txt');
  assert.equal(await readFile(path.join(dir, 'sub', 'new.txt'), 'utf8'), 'uploaded');
});

test('a directory that does not exist answers 500 per request, not a crash', async () => {
  const errors = [];
  const missing = createServer(new Router().get('/m/*', serveFiles(path.join(dir, 'nope'))).handle, { onError: (e) => errors.push(e) });
  const [{ port }] = await missing.listen({ port: 0, host: '127.0.0.1' });
  try {
    assert.equal((await fetch(`http://127.0.0.1:${port}/m/a.txt`)).status, 500);
    assert.equal(errors[0].code, 'ENOENT');
  } finally {
    await missing.close(100);
  }
});
