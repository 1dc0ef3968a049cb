// --index and --spa: a folder's index.html instead of its listing; the root index.html for unknown names.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startFileServer } from './file-server.mjs';

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-pages-'));
  await mkdir(path.join(dir, 'site'));
  await mkdir(path.join(dir, 'plain'));
  await writeFile(path.join(dir, 'index.html'), '<h1>root app</h1>');
  await writeFile(path.join(dir, 'site/index.html'), '<h1>site</h1>');
});
after(() => rm(dir, { recursive: true, force: true }));

async function withServer(args, body) {
  const server = await startFileServer(['--directory', dir, '--quiet', ...args]);
  try {
    await body(`http://127.0.0.1:${server.port}/files/`);
  } finally {
    await server.stop();
  }
}

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

test('off by default: folders list, unknown names are 404', () =>
  withServer([], async (base) => {
    assert.match(await (await fetch(`${base}site/`, { headers: HTML })).text(), /<title>Index of \/site\/<\/title>/);
    assert.equal((await fetch(`${base}no/such/page`, { headers: HTML })).status, 404);
  }));

test('--index: a folder with index.html serves it; one without still lists; JSON still lists', () =>
  withServer(['--index'], async (base) => {
    const site = await fetch(`${base}site/`, { headers: HTML });
    assert.equal(site.status, 200);
    assert.match(site.headers.get('content-type'), /^text\/html/);
    assert.equal(await site.text(), '<h1>site</h1>');
    assert.match(await (await fetch(`${base}plain/`, { headers: HTML })).text(), /<title>Index of \/plain\/<\/title>/);
    const json = await (await fetch(`${base}site/`, { headers: { accept: 'application/json' } })).json();
    assert.deepEqual(json.map((entry) => entry.name), ['index.html']);
    assert.equal((await fetch(`${base}no/such/page`, { headers: HTML })).status, 404);
  }));

test('--spa: unknown names answer browsers with the root index.html, other clients with 404', () =>
  withServer(['--spa'], async (base) => {
    const page = await fetch(`${base}app/route/42`, { headers: HTML });
    assert.equal(page.status, 200);
    assert.equal(await page.text(), '<h1>root app</h1>');
    assert.equal((await fetch(`${base}app/route/42`, { headers: { accept: 'application/json' } })).status, 404);
    assert.equal((await fetch(`${base}app/route/42`)).status, 404);
    assert.equal(await (await fetch(`${base}site/index.html`, { headers: HTML })).text(), '<h1>site</h1>');
  }));
