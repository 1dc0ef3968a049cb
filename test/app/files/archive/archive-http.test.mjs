// Folder downloads from the real CLI: a zip64 member over 4 GiB, tar, headers, flat server memory, cuts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { rssOf, startCli } from '../../../helpers.mjs';
import { LONG_NAME, UNICODE_FOLDER, makeSampleTree, pythonZipList, run, writeSparse } from './archive-helpers.mjs';

const BIG = 4 * 1024 ** 3 + 12_345;
const LIMIT = 200 * 1024 * 1024;
const sample = makeSampleTree({ sparseBytes: BIG });
const out = mkdtempSync(path.join(os.tmpdir(), 'wirehttp-archive-http-'));
const folderUrl = `/files/${encodeURIComponent(UNICODE_FOLDER)}/`;
let server;

before(async () => {
  mkdirSync(path.join(sample.root, '.wirehttp', 'tus'), { recursive: true });
  writeFileSync(path.join(sample.root, '.wirehttp', 'tus', 'state'), 'server state');
  server = await startCli(['--directory', sample.root, '--hidden']);
});
after(async () => {
  await server?.stop();
  for (const dir of [sample.root, sample.outside, out]) rmSync(dir, { recursive: true, force: true });
});

/** GET `target`; resolves the response once its head is in. */
function get(target, method = 'GET') {
  return new Promise((resolve, reject) => {
    http.request({ host: '127.0.0.1', port: server.port, path: target, method, agent: false }, resolve).on('error', reject).end();
  });
}

/** Runs `work` while sampling the server's RSS every 100 ms; resolves [result, peak bytes]. */
async function withPeakRss(work) {
  let peak = await rssOf(server.pid);
  const timer = setInterval(() => rssOf(server.pid).then((rss) => (peak = Math.max(peak, rss)), () => {}), 100);
  try {
    return [await work(), peak];
  } finally {
    clearInterval(timer);
  }
}

test('zip of a folder with a 4 GiB+ sparse file: zip64, unzip -t passes, UTF-8 file name, RSS < 200 MB', async () => {
  const res = await get(`${folderUrl}?download=zip`);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/zip');
  assert.equal(res.headers['transfer-encoding'], 'chunked');
  assert.equal(
    res.headers['content-disposition'],
    `attachment; filename="${UNICODE_FOLDER.replace(/[^\x20-\x7e]/g, '_')}.zip"; filename*=UTF-8''${encodeURIComponent(UNICODE_FOLDER)}.zip`,
  );
  const file = path.join(out, 'big.zip');
  const started = performance.now();
  const [bytes, peak] = await withPeakRss(() => writeSparse(res, file));
  const seconds = (performance.now() - started) / 1000;
  assert.ok(peak < LIMIT, `server peak RSS ${(peak / 1024 ** 2).toFixed(0)} MB`);
  assert.match(run('unzip', ['-tq', file]), /No errors detected/);
  const entries = pythonZipList(file);
  assert.equal(entries.find((e) => e.name === 'sparse.img').size, BIG);
  assert.ok(entries.some((e) => e.name === 'empty/'));
  assert.ok(entries.some((e) => e.name === LONG_NAME));
  // --hidden lets dot-files in, never the server's own metadata area.
  assert.ok(entries.some((e) => e.name === '.secret'));
  for (const [name, bytes] of Object.entries(sample.files)) {
    assert.ok(run('unzip', ['-p', file, name], { encoding: 'buffer' }).equals(bytes), `${name} byte-exact`);
  }
  console.log(
    `# zip of ${entries.length} entries (${bytes} bytes) in ${seconds.toFixed(1)} s (${(bytes / 1024 ** 2 / seconds).toFixed(0)} MiB/s); ` +
      `server peak RSS ${(peak / 1024 ** 2).toFixed(0)} MB`,
  );
});

test('tar of the same folder: tar -tvf lists every entry while it streams, RSS < 200 MB', async () => {
  const res = await get(`${folderUrl}?download=tar`);
  assert.equal(res.headers['content-type'], 'application/x-tar');
  const tar = spawn('tar', ['-tvf', '-'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let listing = '';
  tar.stdout.on('data', (d) => (listing += d));
  const [, peak] = await withPeakRss(
    () =>
      new Promise((resolve, reject) => {
        res.pipe(tar.stdin);
        tar.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tar exited ${code}`))));
      }),
  );
  assert.ok(peak < LIMIT, `server peak RSS ${(peak / 1024 ** 2).toFixed(0)} MB`);
  const names = listing.split('\n').filter(Boolean).map((line) => line.split(/\s+/).slice(5).join(' '));
  for (const name of ['empty/', 'hello.txt', 'naïve – café.bin', 'zero-bytes', LONG_NAME, 'sparse.img', '.secret']) {
    assert.ok(names.includes(name), `${name} listed`);
  }
  assert.ok(listing.split('\n').some((line) => line.includes(` ${BIG} `) && line.endsWith('sparse.img')));
  assert.ok(!names.some((name) => name.includes('.wirehttp') || name.includes('escape') || name.includes('cycle')));
});

test('HEAD answers the download headers without a body; other formats are 400; the root is named files', async () => {
  const head = await get(`${folderUrl}?download=zip`, 'HEAD');
  assert.equal(head.statusCode, 200);
  assert.equal(head.headers['content-type'], 'application/zip');
  head.resume();
  const rar = await get(`${folderUrl}?download=rar`);
  assert.equal(rar.statusCode, 400);
  rar.resume();
  const root = await get('/files/?download=zip');
  assert.match(root.headers['content-disposition'], /filename="files\.zip"/);
  root.destroy();
});

test('a file that shrinks mid-stream cuts the connection (no complete-looking archive) and is logged', async () => {
  const dir = path.join(sample.root, 'shrinking');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'a.bin'), 'head');
  truncateSync(path.join(dir, 'a.bin'), 256 * 1024 * 1024);
  const res = await get('/files/shrinking/?download=zip');
  assert.equal(res.statusCode, 200);
  const outcome = await new Promise((resolve) => {
    let received = 0;
    res.on('data', (chunk) => {
      if (received === 0) truncateSync(path.join(dir, 'a.bin'), 1024 * 1024);
      received += chunk.length;
    });
    res.on('end', () => resolve({ complete: res.complete, received }));
    res.on('error', () => resolve({ complete: false, received }));
    res.on('aborted', () => resolve({ complete: false, received }));
  });
  assert.equal(outcome.complete, false, 'the response must not end cleanly');
  for (let i = 0; i < 50 && !/archive of \/shrinking cut short/.test(server.stderr()); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(server.stderr(), /archive of \/shrinking cut short: a\.bin shrank while it was archived/);
});
