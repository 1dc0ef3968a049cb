// 200 MiB through the CLI in each direction: byte-exact (sha256 computed while streaming, never
// holding the body) and with the server's resident memory staying bounded.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connect, rssOf, startCli } from '../helpers.mjs';

const MIB = 1024 * 1024;
const SIZE = 200 * MIB;
const RSS_LIMIT = 150 * 1000 * 1000;

let dir;
let server;
let sourceHash;

/** Writes SIZE bytes of varied content in 1 MiB pieces; returns their sha256. */
async function createBigFile(file) {
  const base = randomBytes(MIB);
  const hash = createHash('sha256');
  const handle = await open(file, 'w');
  try {
    for (let i = 0; i < SIZE / MIB; i++) {
      base.writeUInt32LE(i, (i * 4096) % (MIB - 4));
      hash.update(base);
      await handle.write(base);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

async function sha256OfFile(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: MIB })) hash.update(chunk);
  return hash.digest('hex');
}

/** Samples the server's RSS every 50 ms until stopped; resolves the peak. */
function watchRss(pid) {
  let peak = 0;
  let samples = 0;
  const timer = setInterval(() => {
    rssOf(pid).then((rss) => {
      samples++;
      peak = Math.max(peak, rss);
    }, () => {});
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return { peak, samples };
    },
  };
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wirehttp-large-'));
  sourceHash = await createBigFile(path.join(dir, 'big.bin'));
  server = await startCli(['--directory', dir]);
});
after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('downloading 200 MiB with a slow reader is byte-exact and the server stays under 150 MB RSS', async (t) => {
  const rss = watchRss(server.pid);
  const socket = await connect(server.port);
  socket.write('GET /files/big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  const hash = createHash('sha256');
  let head = Buffer.alloc(0);
  let headText = null;
  let received = 0;
  let sincePause = 0;
  await new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('end', resolve);
    socket.on('data', (data) => {
      if (headText === null) {
        head = Buffer.concat([head, data]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        headText = head.subarray(0, end).toString('latin1');
        data = head.subarray(end + 4);
      }
      hash.update(data);
      received += data.length;
      sincePause += data.length;
      // About 100 MB/s at most: slower than the server can read the file, so its writes back up.
      if (sincePause >= MIB) {
        sincePause = 0;
        socket.pause();
        setTimeout(() => socket.resume(), 10);
      }
    });
  });
  const { peak, samples } = rss.stop();
  t.diagnostic(`peak server RSS ${(peak / MIB).toFixed(1)} MiB over ${samples} samples`);
  assert.match(headText, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(headText, new RegExp(`\r\nContent-Length: ${SIZE}(\r\n|$)`, 'i'));
  assert.equal(received, SIZE);
  assert.equal(hash.digest('hex'), sourceHash);
  assert.ok(samples > 10, `RSS was sampled (${samples})`);
  assert.ok(peak < RSS_LIMIT, `peak RSS ${(peak / MIB).toFixed(1)} MiB`);
});

test('uploading 200 MiB stores exactly those bytes and the server stays under 150 MB RSS', async (t) => {
  const rss = watchRss(server.pid);
  const socket = await connect(server.port);
  const response = new Promise((resolve, reject) => {
    let text = '';
    socket.on('error', reject);
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('end', () => resolve(text));
  });
  socket.write(`POST /files/uploaded.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${SIZE}\r\nConnection: close\r\n\r\n`);
  for await (const chunk of createReadStream(path.join(dir, 'big.bin'), { highWaterMark: 256 * 1024 })) {
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  const text = await response;
  const { peak, samples } = rss.stop();
  t.diagnostic(`peak server RSS ${(peak / MIB).toFixed(1)} MiB over ${samples} samples`);
  assert.match(text, /^HTTP\/1\.1 201 Created\r\n/);
  assert.equal(await sha256OfFile(path.join(dir, 'uploaded.bin')), sourceHash);
  assert.ok(samples > 10, `RSS was sampled (${samples})`);
  assert.ok(peak < RSS_LIMIT, `peak RSS ${(peak / MIB).toFixed(1)} MiB`);
});
