// Resumable uploads with tus-js-client against the real CLI: drops, resumes, workers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as tus from 'tus-js-client';
import { rssOf, startCli } from '../../../helpers.mjs';
import { PATCH_TYPE, TUS, create, proxy, request, servedDir } from './tus-helpers.mjs';

const MiB = 1024 * 1024;
let root;
let server;
before(async () => {
  root = servedDir();
  server = await startCli(['--directory', root]);
});
after(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Runs one tus-js-client upload; resolves { url, error } when it succeeds or fails. */
function upload(data, options) {
  return new Promise((resolve) => {
    const up = new tus.Upload(data, {
      chunkSize: MiB,
      retryDelays: null,
      ...options,
      onSuccess: () => resolve({ url: up.url, error: null }),
      onError: (error) => resolve({ url: up.url, error }),
    });
    up.start();
  });
}

async function listing(port, folder) {
  const res = await request(port, 'GET', folder, { headers: { Accept: 'application/json' } });
  return JSON.parse(res.body).map((entry) => entry.name);
}

test('20 MiB in 1 MiB chunks: a dropped connection, then a resume from the upload URL, byte-exact', async () => {
  const data = randomBytes(20 * MiB);
  const cutting = await proxy(server.port, { cutAfter: 5.5 * MiB });
  const first = await upload(data, {
    endpoint: `http://127.0.0.1:${cutting.port}/files/in/`,
    metadata: { filename: 'big résumé.bin', filetype: 'application/octet-stream' },
  });
  await cutting.close();
  assert.ok(cutting.isCut(), 'the connection was cut');
  assert.ok(first.error, 'the first pass failed');
  assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+\/files\/in\/\?upload=[0-9a-f]{32}$/);
  // Nothing partial is visible meanwhile: not listed, not served, no temporary file around.
  assert.deepEqual(await listing(server.port, '/files/in/'), []);
  assert.equal((await request(server.port, 'GET', `/files/in/${encodeURIComponent('big résumé.bin')}`)).status, 404);
  assert.deepEqual(readdirSync(path.join(root, 'in')), []);
  const uploadPath = new URL(first.url).pathname + new URL(first.url).search;
  const head = await request(server.port, 'HEAD', uploadPath, { headers: TUS });
  const offset = Number(head.headers['upload-offset']);
  assert.ok(offset >= 3 * MiB && offset < 20 * MiB, `resume point ${offset}`);

  const counting = await proxy(server.port);
  // The server may still be winding down the cut PATCH (423, or 409 on a stale offset): the
  // client retries as it would in the field.
  const second = await upload(data, { uploadUrl: `http://127.0.0.1:${counting.port}${uploadPath}`, retryDelays: [0, 200, 1000] });
  await counting.close();
  assert.equal(second.error, null);
  assert.ok(counting.sent() < 20 * MiB - offset + 2 * MiB, `second pass sent ${counting.sent()} bytes after ${offset}`);
  assert.ok(counting.sent() < 20 * MiB, 'the second pass sent fewer bytes than the file');
  assert.ok(readFileSync(path.join(root, 'in', 'big résumé.bin')).equals(data), 'byte-exact');
  assert.deepEqual(await listing(server.port, '/files/in/'), ['big résumé.bin']);
  console.log(`# cut after ${(offset / MiB).toFixed(1)} MiB stored; the resume sent ${(counting.sent() / MiB).toFixed(1)} MiB of 20 MiB`);
});

test('creation-with-upload: a small file in the creating POST', async () => {
  const data = randomBytes(300 * 1024);
  const counting = await proxy(server.port);
  const result = await upload(data, {
    endpoint: `http://127.0.0.1:${counting.port}/files/in/`,
    uploadDataDuringCreation: true,
    chunkSize: 4 * MiB,
    metadata: { filename: 'small.bin' },
  });
  await counting.close();
  assert.equal(result.error, null);
  assert.ok(readFileSync(path.join(root, 'in', 'small.bin')).equals(data));
});

test('termination with tus-js-client removes the partial upload', async () => {
  const data = randomBytes(3 * MiB);
  let url;
  await new Promise((resolve) => {
    const up = new tus.Upload(data, {
      endpoint: `http://127.0.0.1:${server.port}/files/in/`,
      chunkSize: MiB,
      metadata: { filename: 'dropped.bin' },
      onChunkComplete: () => {
        url = up.url;
        up.abort().then(resolve);
      },
      onError: resolve,
    });
    up.start();
  });
  await tus.Upload.terminate(url);
  const uploadPath = new URL(url).pathname + new URL(url).search;
  assert.equal((await request(server.port, 'HEAD', uploadPath, { headers: TUS })).status, 404);
  assert.ok(!existsSync(path.join(root, 'in', 'dropped.bin')));
  assert.deepEqual(readdirSync(path.join(root, '.wirehttp', 'tus')).filter((name) => uploadPath.endsWith(name)), []);
});

test('--workers 2: chunks on fresh connections land on both workers, the file is whole', async () => {
  const dir = servedDir();
  const workers = await startCli(['--directory', dir, '--workers', '2']);
  try {
    const data = randomBytes(8 * MiB);
    const result = await upload(data, {
      endpoint: `http://127.0.0.1:${workers.port}/files/in/`,
      metadata: { filename: 'w.bin' },
      // A fresh connection per request, so the cluster spreads them over the workers.
      headers: { Connection: 'close' },
    });
    assert.equal(result.error, null);
    assert.ok(readFileSync(path.join(dir, 'in', 'w.bin')).equals(data));
  } finally {
    await workers.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a 512 MiB PATCH streams to disk with flat server memory', async () => {
  const size = 512 * MiB;
  const url = await create(server.port, '/files/in/', 'stream.bin', size);
  const block = randomBytes(MiB);
  let peak = await rssOf(server.pid);
  const timer = setInterval(() => rssOf(server.pid).then((rss) => (peak = Math.max(peak, rss)), () => {}), 100);
  const status = await new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'PATCH',
        path: url,
        agent: false,
        headers: { ...TUS, ...PATCH_TYPE, 'Upload-Offset': '0', 'Content-Length': String(size) },
      },
      (res) => resolve(res.statusCode),
    );
    req.on('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += block.length;
        if (!req.write(block)) return req.once('drain', pump);
      }
      req.end();
    };
    pump();
  }).finally(() => clearInterval(timer));
  assert.equal(status, 204);
  const stored = path.join(root, 'in', 'stream.bin');
  assert.equal(statSync(stored).size, size);
  const last = Buffer.alloc(MiB);
  const fd = openSync(stored, 'r');
  readSync(fd, last, 0, MiB, size - MiB);
  closeSync(fd);
  assert.ok(last.equals(block));
  assert.ok(peak < 150 * MiB, `server peak RSS ${(peak / MiB).toFixed(0)} MB`);
  console.log(`# 512 MiB PATCH: server peak RSS ${(peak / MiB).toFixed(0)} MB`);
});
