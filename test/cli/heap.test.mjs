// The command keeps V8's young generation small, so that a run of uploads, which allocate
// little on the heap, does not set off a full collection every few dozen requests.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { connect, startCli } from '../helpers.mjs';

const UPLOADS = 300;
const BODY = Buffer.alloc(1 << 20, 0x75);

/** Sends UPLOADS PUTs of 1 MiB one after another on one connection, each awaited. */
async function upload(port) {
  const socket = await connect(port);
  let received = '';
  let wake = () => {};
  socket.on('data', (data) => {
    received += data.toString('latin1');
    wake();
  });
  try {
    for (let i = 0; i < UPLOADS; i++) {
      socket.write(`PUT /files/upload-${i % 8}.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${BODY.length}\r\n\r\n`);
      socket.write(BODY);
      while (!/\r\n\r\n/.test(received)) await new Promise((resolve) => (wake = resolve));
      assert.match(received, /^HTTP\/1\.1 20[14] /);
      const end = received.indexOf('\r\n\r\n') + 4;
      const length = Number(/content-length: *(\d+)/i.exec(received.slice(0, end))?.[1] ?? 0);
      while (received.length < end + length) await new Promise((resolve) => (wake = resolve));
      received = received.slice(end + length);
    }
  } finally {
    socket.destroy();
  }
}

test('300 uploads of 1 MiB run with at most a few full collections', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-heap-'));
  // --trace-gc prints one line per collection on stdout.
  const server = await startCli(['--directory', dir, '--quiet'], { nodeArgs: ['--trace-gc'] });
  try {
    await upload(server.port);
    const full = server.stdout().match(/Mark-Compact/g)?.length ?? 0;
    const minor = server.stdout().match(/Scavenge/g)?.length ?? 0;
    // Measured: 1 full collection (and ~50 scavenges) with the setting, 13-17 without it.
    assert.ok(full <= 4, `${full} full collections and ${minor} scavenges in ${UPLOADS} uploads`);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
