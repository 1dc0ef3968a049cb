// An upload cut off by the shutdown deadline leaves no temporary file behind, and the deadline
// holds even while another upload streams 1-byte chunks.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connect, startCli } from '../helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-cutoff-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('SIGTERM with --shutdown-timeout 1s: uploads still running are cut off at the deadline and leave no file', async () => {
  const server = await startCli(['--directory', dir, '--quiet', '--shutdown-timeout', '1s']);
  try {
    // A large upload that stalls halfway, and one that keeps streaming 1-byte chunks.
    const stalled = await connect(server.port);
    stalled.on('error', () => {});
    stalled.write(`PUT /files/stalled.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${8 << 20}\r\n\r\n`);
    stalled.write(Buffer.alloc(4 << 20, 0x61));
    const trickle = await connect(server.port);
    trickle.on('error', () => {});
    trickle.write('PUT /files/trickle.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n');
    const framing = Buffer.from('1\r\nb\r\n'.repeat(64 * 1024));
    const trickleClosed = new Promise((resolve) => trickle.once('close', resolve));
    let streaming = true;
    const stream = (async () => {
      while (streaming && !trickle.destroyed) {
        if (!trickle.write(framing)) await Promise.race([new Promise((resolve) => trickle.once('drain', resolve)), trickleClosed]);
        await sleep(1);
      }
    })();

    let temps = [];
    for (let i = 0; i < 100 && temps.length < 2; i++) {
      await sleep(20);
      temps = (await readdir(dir)).filter((name) => name.startsWith('.wirehttp-upload-'));
    }
    assert.equal(temps.length, 2, 'both uploads have their temporary file');

    const signalledAt = Date.now();
    process.kill(server.pid, 'SIGTERM');
    const { code } = await server.exited;
    const took = Date.now() - signalledAt;
    streaming = false;
    trickle.destroy();
    stalled.destroy();
    await stream;
    assert.equal(code, 0);
    assert.ok(took >= 900 && took < 2000, `exited ${took} ms after SIGTERM with a 1 s deadline`);
    assert.deepEqual(await readdir(dir), [], 'no temporary or partial file is left');
  } finally {
    await server.stop();
  }
});
