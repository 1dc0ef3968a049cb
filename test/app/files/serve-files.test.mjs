// serveFiles on a library user's own route: the mount's path in links and Location, and the
// listing and uploads switches.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { basicAuth, createServer, Router } from '../../../dist/index.js';
import { serveFiles } from '../../../dist/app/files/public.js';
import { exchange, parseResponses } from '../../helpers.mjs';

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

/** The listing page at `url`: its markup, the page data's `can` flags and each entry's changeable flag. */
async function pageOf(url, headers = {}) {
  const html = await (await fetch(url, { headers })).text();
  const data = JSON.parse(/<script type="application\/json" id="listing-data">(.*?)<\/script>/s.exec(html)[1]);
  return { html, can: data.can, changeable: Object.fromEntries(data.entries.map((row) => [row[0], row[4] === 1])) };
}

test('uploads off: the page offers no upload, new folder, rename or delete; on: it does', async () => {
  const readOnly = await pageOf(`${origin}/static/`);
  assert.deepEqual(readOnly.can, { write: false, move: false });
  assert.ok(Object.values(readOnly.changeable).length > 0);
  assert.ok(Object.values(readOnly.changeable).every((flag) => !flag), 'no row offers delete');
  assert.doesNotMatch(readOnly.html, /Drag files|Drop files/, 'no hint to drop files or use Upload files');
  const writable = await pageOf(`${origin}/drop%20box/`);
  assert.deepEqual(writable.can, { write: true, move: false });
  assert.ok(Object.values(writable.changeable).every((flag) => flag));
  assert.match(writable.html, /Drag files or folders onto this page to upload them/);
});

test('uploads off with access rules: a login that may write is offered no writing either', async () => {
  const access = basicAuth({ rules: ['alice:wonderland@/:rw'], paths: 'handler' });
  const alice = { authorization: `Basic ${Buffer.from('alice:wonderland').toString('base64')}` };
  await withRouter(new Router().get('/ro/*', serveFiles(dir, { access })).get('/rw/*', serveFiles(dir, { access, uploads: true })), async (base) => {
    const readOnly = await pageOf(`${base}/ro/`, alice);
    assert.match(readOnly.html, /Logged in as <strong>alice<\/strong>/);
    assert.deepEqual(readOnly.can, { write: false, move: false });
    assert.ok(Object.values(readOnly.changeable).every((flag) => !flag));
    const writable = await pageOf(`${base}/rw/`, alice);
    assert.deepEqual(writable.can, { write: true, move: false });
    assert.ok(Object.values(writable.changeable).every((flag) => flag));
  });
});

test('access rules refusing a resumable upload answer with Tus-Resumable, as tus asks of every answer', async () => {
  const access = basicAuth({ rules: ['@/:ro', 'alice:wonderland@/:rw'], paths: 'handler' });
  const files = serveFiles(dir, { uploads: true, access });
  const router = new Router();
  for (const method of ['POST', 'PUT', 'PATCH']) router.on(method, '/vault/*', files);
  await withRouter(router, async (base) => {
    const creation = { 'Tus-Resumable': '1.0.0', 'Upload-Length': '1', 'Upload-Metadata': `filename ${Buffer.from('a.txt').toString('base64')}` };
    const refused = await fetch(`${base}/vault/`, { method: 'POST', headers: creation });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('tus-resumable'), '1.0.0');
    const plain = await fetch(`${base}/vault/a.txt`, { method: 'PUT', body: 'a' });
    assert.deepEqual([plain.status, plain.headers.get('tus-resumable')], [401, null]);
  });
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

test('a small file is compressed once per coding; later requests get the kept bytes, rechecked or not', async () => {
  const text = 'compressed once, then answered from memory. '.repeat(100);
  await writeFile(path.join(dir, 'once.txt'), text);
  // A body compressed whole goes through zlib.gzip; a streamed one would come without a Content-Length.
  const compressions = [];
  const { gzip } = zlib;
  zlib.gzip = (...args) => (compressions.push('gzip'), gzip(...args));
  const get = async () => {
    const res = await fetch(`${origin}/static/once.txt`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.ok(Number(res.headers.get('content-length')) < text.length / 4);
    assert.equal(await res.text(), text); // fetch decompresses
  };
  try {
    for (let round = 0; round < 3; round++) await get();
    // Past the cache's second: the file is checked on disk again, its kept bytes still serve.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await get();
  } finally {
    zlib.gzip = gzip;
  }
  assert.deepEqual(compressions, ['gzip']);
});

/** The member names of a tar archive, sorted. */
function tarNames(tar) {
  return execFileSync('tar', ['-tf', '-'], { input: tar }).toString().split('\n').filter((name) => name !== '').sort();
}

/** A server with `router`'s routes on an ephemeral port; `body(origin)`, then closed. */
async function withRouter(router, body) {
  const other = createServer(router.handle);
  const [{ port }] = await other.listen({ port: 0, host: '127.0.0.1' });
  try {
    await body(`http://127.0.0.1:${port}`);
  } finally {
    await other.close(100);
  }
}

test('search pages, form uploads and folder Locations name the mount, not /files/', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'wirehttp-serve-files-links-'));
  await mkdir(path.join(root, 'docs/sub'), { recursive: true });
  await writeFile(path.join(root, 'docs/sub/report one.txt'), 'r');
  const files = serveFiles(root, { uploads: true });
  const router = new Router().get('/static/*', files).post('/static/*', files);
  try {
    await withRouter(router, async (base) => {
      const html = await (await fetch(`${base}/static/docs/?q=report`, { headers: { accept: 'text/html' } })).text();
      assert.match(html, /href="\/static\/docs\/">\/docs\/<\/a>/);
      assert.match(html, /href="\/static\/docs\/sub\/report%20one\.txt"/);
      assert.doesNotMatch(html, /\/files\//);

      const form = new FormData();
      form.append('file', new Blob(['hello']), 'a b.txt');
      const text = await fetch(`${base}/static/inbox/`, { method: 'POST', body: form });
      assert.equal(text.status, 201);
      assert.equal(await text.text(), 'stored /static/inbox/a%20b.txt (5 bytes)\n');
      const json = await fetch(`${base}/static/inbox/`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
      assert.deepEqual((await json.json()).stored, [{ name: 'inbox/a b.txt', url: '/static/inbox/a%20b.txt', size: 5 }]);

      const folder = await fetch(`${base}/static/made/new/`, { method: 'POST' });
      assert.equal(folder.status, 201);
      assert.equal(folder.headers.get('location'), '/static/made/new/');
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('index and spa: a folder\'s index.html instead of its listing, the root index.html for unknown pages', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'wirehttp-serve-files-pages-'));
  await mkdir(path.join(root, 'site'));
  await mkdir(path.join(root, 'plain'));
  await writeFile(path.join(root, 'index.html'), '<h1>root app</h1>');
  await writeFile(path.join(root, 'site/index.html'), '<h1>site</h1>');
  const html = { accept: 'text/html' };
  const router = new Router()
    .get('/both/*', serveFiles(root, { index: true, spa: true }))
    .get('/neither/*', serveFiles(root));
  try {
    await withRouter(router, async (base) => {
      assert.equal(await (await fetch(`${base}/both/site/`, { headers: html })).text(), '<h1>site</h1>');
      assert.match(await (await fetch(`${base}/both/plain/`, { headers: html })).text(), /<title>Index of \/plain\/<\/title>/);
      const json = await (await fetch(`${base}/both/site/`, { headers: { accept: 'application/json' } })).json();
      assert.deepEqual(json.map((entry) => entry.name), ['index.html']);
      const page = await fetch(`${base}/both/app/route/42`, { headers: html });
      assert.equal(page.status, 200);
      assert.equal(await page.text(), '<h1>root app</h1>');
      assert.equal((await fetch(`${base}/both/app/route/42`)).status, 404, 'only for clients that ask for HTML');

      assert.match(await (await fetch(`${base}/neither/site/`, { headers: html })).text(), /<title>Index of \/site\/<\/title>/);
      assert.equal((await fetch(`${base}/neither/app/route/42`, { headers: html })).status, 404);
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('access rules: names checked below the mount, logins, listings and searches show only what may be opened', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'wirehttp-serve-files-access-'));
  await mkdir(path.join(root, 'public'));
  await mkdir(path.join(root, 'private'));
  await writeFile(path.join(root, 'public/report-a.txt'), 'public');
  await writeFile(path.join(root, 'private/report-b.txt'), 'private');
  const access = basicAuth({ rules: ['@/public:ro', 'alice:wonderland@/:rw'], paths: 'handler' });
  const files = serveFiles(root, { uploads: true, access });
  const router = new Router();
  for (const method of ['GET', 'PUT', 'DELETE']) router.on(method, '/vault/*', files);
  const alice = { authorization: `Basic ${Buffer.from('alice:wonderland').toString('base64')}` };
  try {
    await withRouter(router, async (base) => {
      assert.equal(await (await fetch(`${base}/vault/public/report-a.txt`)).text(), 'public');
      const refused = await fetch(`${base}/vault/private/report-b.txt`);
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('www-authenticate'), /^Basic realm="wirehttp"/);
      assert.equal((await fetch(`${base}/vault/private/missing.txt`)).status, 401, 'the same whether it exists or not');
      // Sent raw: fetch would resolve the dot segments itself.
      const port = Number(new URL(base).port);
      const dots = await exchange(port, 'GET /vault/public/%2e%2e/private/report-b.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      assert.equal(parseResponses(dots.raw)[0].status, 400);

      const listing = await (await fetch(`${base}/vault/`, { headers: { accept: 'application/json' } })).json();
      assert.deepEqual(listing.map((entry) => entry.name), ['public']);
      const found = await (await fetch(`${base}/vault/?q=report`, { headers: { accept: 'application/json' } })).json();
      assert.deepEqual(found.results.map((hit) => hit.path), ['public/report-a.txt']);

      const tar = Buffer.from(await (await fetch(`${base}/vault/?download=tar`)).arrayBuffer());
      assert.deepEqual(tarNames(tar), ['public/', 'public/report-a.txt']);

      assert.equal((await fetch(`${base}/vault/public/new.txt`, { method: 'PUT', body: 'x' })).status, 401);
      assert.equal(await (await fetch(`${base}/vault/private/report-b.txt`, { headers: alice })).text(), 'private');
      const aliceListing = await (await fetch(`${base}/vault/`, { headers: { ...alice, accept: 'application/json' } })).json();
      assert.deepEqual(aliceListing.map((entry) => entry.name).sort(), ['private', 'public']);
      assert.equal((await fetch(`${base}/vault/private/new.txt`, { method: 'PUT', body: 'x', headers: alice })).status, 201);
      assert.equal((await fetch(`${base}/vault/public/report-a.txt`, { method: 'DELETE' })).status, 401);
      assert.equal((await fetch(`${base}/vault/private/new.txt`, { method: 'DELETE', headers: alice })).status, 204);
      const wrong = { authorization: `Basic ${Buffer.from('alice:guess').toString('base64')}` };
      assert.equal((await fetch(`${base}/vault/public/report-a.txt`, { headers: wrong })).status, 401);
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
