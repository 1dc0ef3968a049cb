// Backpressure end to end: a 2 GiB file fetched by a slow client must not grow the server.
import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { connect, exchange, parseResponses, rssOf, startCli } from '../../helpers.mjs';

const FILE_SIZE = 2 * 1024 ** 3;
const READ_BYTES = 320 * 1024 ** 2;
const RSS_LIMIT = 150 * 1024 ** 2;

test('a slow client reading part of a 2 GiB file keeps the server RSS flat', { timeout: 30_000 }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-stream-'));
  const file = path.join(dir, 'huge.bin');
  await writeFile(file, '');
  await truncate(file, FILE_SIZE); // sparse: no disk space used
  const server = await startCli(['--directory', dir]);
  try {
    const samples = [];
    const sampler = setInterval(() => {
      rssOf(server.pid).then((rss) => samples.push(rss), () => {});
    }, 100);
    const socket = await connect(server.port);
    socket.write('GET /files/huge.bin HTTP/1.1\r\nHost: localhost\r\n\r\n');
    let received = 0;
    let head = '';
    // About 64 MiB/s, far slower than the disk: the server must wait for the socket.
    const perTick = 3.2 * 1024 ** 2;
    let budget = perTick;
    const ticker = setInterval(() => {
      budget = perTick;
      if (socket.isPaused()) socket.resume();
    }, 50);
    await new Promise((resolve, reject) => {
      socket.on('data', (data) => {
        if (received === 0 && head === '') head = data.subarray(0, 1000).toString('latin1');
        received += data.length;
        budget -= data.length;
        if (budget <= 0) socket.pause();
        if (received >= READ_BYTES) resolve();
      });
      socket.on('error', reject);
      socket.on('close', () => reject(new Error(`closed after ${received} bytes`)));
    });
    clearInterval(ticker);
    socket.destroy(); // abort mid-body
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(sampler);

    assert.match(head, /^HTTP\/1\.1 200 OK/);
    assert.match(head, new RegExp(`Content-Length: ${FILE_SIZE}`, 'i'));
    assert.ok(received >= READ_BYTES);
    assert.ok(samples.length >= 20, `only ${samples.length} RSS samples`);
    const peak = Math.max(...samples);
    t.diagnostic(`peak server RSS ${(peak / 1024 ** 2).toFixed(1)} MiB over ${samples.length} samples, ${received} bytes read`);
    assert.ok(peak < RSS_LIMIT, `server RSS peaked at ${(peak / 1024 ** 2).toFixed(1)} MiB`);

    // the aborted download left the server healthy
    const { raw } = await exchange(server.port, 'GET /files/huge.bin HTTP/1.1\r\nHost: localhost\r\nRange: bytes=-4\r\nConnection: close\r\n\r\n');
    const [res] = parseResponses(raw);
    assert.equal(res.status, 206);
    assert.deepEqual(res.body, Buffer.alloc(4));
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
