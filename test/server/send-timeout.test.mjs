// The send timeout: a client that takes no byte of its response for sendTimeoutMs loses the
// connection; a slow client that keeps reading does not.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createServer } from '../../dist/index.js';
import { connect, startCli } from '../helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const CHUNK = Buffer.alloc(64 * 1024, 0x78);

/** Streams `total` bytes (Infinity: until the connection is gone), waiting for drain as asked. */
function streaming(total) {
  return async (req, res) => {
    await new Promise((resolve) => setImmediate(resolve));
    res.setHeader('Content-Type', 'application/octet-stream');
    if (Number.isFinite(total)) res.setHeader('Content-Length', String(total));
    for (let sent = 0; sent < total && !res.closed; sent += CHUNK.length) {
      if (!res.write(CHUNK.subarray(0, Math.min(CHUNK.length, total - sent)))) await res.drain();
    }
    if (!res.closed) res.end();
  };
}

/** Resolves with the time the socket closed. */
const closedAt = (socket) => new Promise((resolve) => socket.once('close', () => resolve(Date.now())));

test('a client that never reads its download is cut off after sendTimeoutMs', { timeout: 20_000 }, async () => {
  const server = createServer(streaming(Infinity), { sendTimeoutMs: 300 });
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const socket = await connect(port);
    socket.on('error', () => {});
    socket.pause();
    const sentAt = Date.now();
    socket.write('GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n');
    // A client that does not read does not see the reset either: watch the server's side.
    while (server.connectionCount > 0 && Date.now() - sentAt < 5000) await sleep(20);
    const took = Date.now() - sentAt;
    assert.equal(server.connectionCount, 0, 'the connection was still open after 5 s');
    assert.ok(took >= 300, `closed after ${took} ms, before the send timeout`);
    socket.destroy();
  } finally {
    await server.close(100);
  }
});

test('a slow client that keeps taking bytes is not cut off', { timeout: 30_000 }, async () => {
  const total = 24 * 1024 * 1024;
  const server = createServer(streaming(total), { sendTimeoutMs: 300 });
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const socket = await connect(port);
    let received = 0;
    socket.on('data', (d) => (received += d.length));
    const closed = closedAt(socket);
    socket.write('GET /big HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    // Reads in bursts with 200 ms pauses: slower than the server writes, never 300 ms idle.
    const reader = setInterval(() => {
      socket.resume();
      setTimeout(() => socket.pause(), 15);
    }, 200);
    await closed;
    clearInterval(reader);
    assert.ok(received > total, `received ${received} of ${total} body bytes`);
  } finally {
    await server.close(100);
  }
});

test('--send-timeout closes a download nobody reads', { timeout: 20_000 }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-send-'));
  const size = 64 * 1024 * 1024;
  await writeFile(path.join(dir, 'big.bin'), Buffer.alloc(size, 0x61));
  const server = await startCli(['--directory', dir, '--quiet', '--send-timeout', '400ms']);
  try {
    const socket = await connect(server.port);
    socket.on('error', () => {});
    socket.pause();
    socket.write('GET /files/big.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await sleep(1500);
    // Reading now finds what was sent before the server gave up, then the reset.
    let received = 0;
    socket.on('data', (d) => (received += d.length));
    const closed = closedAt(socket);
    socket.resume();
    await closed;
    assert.ok(received < size, `the whole ${size}-byte file arrived: the connection was never cut`);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
