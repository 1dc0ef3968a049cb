// Search below a folder: ?q=term as JSON and HTML, case-insensitive, bounded, never showing the server's own names.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { searchNames } from '../../../dist/app/files/search.js';
import { startFileServer } from './file-server.mjs';

let dir;
let server;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-search-'));
  await mkdir(path.join(dir, 'docs/Reports 2026/q1'), { recursive: true });
  await mkdir(path.join(dir, '.secret'));
  await mkdir(path.join(dir, 'many'));
  await writeFile(path.join(dir, 'docs/Reports 2026/q1/Summary REPORT.pdf'), 'x');
  await writeFile(path.join(dir, 'report.txt'), 'x');
  await writeFile(path.join(dir, 'unrelated.txt'), 'x');
  await writeFile(path.join(dir, '.secret/report.txt'), 'x');
  await writeFile(path.join(dir, '.hidden-report'), 'x');
  await mkdir(path.join(dir, '.wirehttp'));
  await writeFile(path.join(dir, '.wirehttp/report-lock'), 'x');
  await Promise.all(Array.from({ length: 40 }, (_, i) => writeFile(path.join(dir, 'many', `item-${i}.bin`), '')));
  server = await startFileServer(['--directory', dir, '--quiet']);
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

test('JSON: every name containing the term, any case, nearest first; dot-files and the metadata area never', async () => {
  const res = await fetch(`http://127.0.0.1:${server.port}/files/?q=RePoRt`, { headers: { accept: 'application/json' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('transfer-encoding'), 'chunked', 'streamed as found');
  assert.deepEqual(await res.json(), {
    query: 'RePoRt',
    results: [
      { path: 'report.txt', type: 'file' },
      { path: 'docs/Reports 2026', type: 'directory' },
      { path: 'docs/Reports 2026/q1/Summary REPORT.pdf', type: 'file' },
    ],
    end: 'complete',
  });
});

test('below a sub-folder only, and as an HTML page of escaped links', async () => {
  const res = await fetch(`http://127.0.0.1:${server.port}/files/docs/?q=%3Csummary`, { headers: { accept: 'text/html' } });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<title>Search \/docs\/ for &#60;summary<\/title>/);
  assert.match(html, /0 found\. Searched everything\./);
  const found = await (await fetch(`http://127.0.0.1:${server.port}/files/docs/?q=summary`)).text();
  assert.match(found, /<a href="\/files\/docs\/Reports%202026\/q1\/Summary%20REPORT\.pdf">Reports 2026\/q1\/Summary REPORT\.pdf<\/a>/);
  assert.match(found, /1 found\./);
});

test('an empty term is the ordinary listing', async () => {
  const res = await fetch(`http://127.0.0.1:${server.port}/files/?q=`, { headers: { accept: 'application/json' } });
  const listing = await res.json();
  assert.ok(Array.isArray(listing));
});

const everything = () => true;

test('the walk stops at its result and time limits and says which', async () => {
  const hits = [];
  const walk = searchNames(path.join(dir, 'many'), 'item', false, { results: 10, timeMs: 10_000 }, everything);
  let step = await walk.next();
  while (!step.done) {
    hits.push(step.value);
    step = await walk.next();
  }
  assert.equal(hits.length, 10);
  assert.equal(step.value, 'results');
  // With no time at all the walk stops at its first clock check (every 256 names).
  await Promise.all(Array.from({ length: 300 }, (_, i) => writeFile(path.join(dir, 'many', `more-${i}`), '')));
  const timed = searchNames(path.join(dir, 'many'), 'nothing matches this', false, { results: 10, timeMs: -1 }, everything);
  assert.deepEqual(await timed.next(), { done: true, value: 'time' });
});
