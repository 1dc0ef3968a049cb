// The CLI's production settings reach the server: /healthz, timeouts, body and connection limits.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { connect, exchange, parseResponses, startCli } from '../helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lists `dir` until it equals `expected` or two seconds pass; returns the last listing. */
async function settledListing(dir, expected) {
  const deadline = Date.now() + 2_000;
  let names = await readdir(dir);
  while (JSON.stringify(names) !== JSON.stringify(expected) && Date.now() < deadline) {
    await sleep(20);
    names = await readdir(dir);
  }
  return names;
}

/** Resolves with how long after the call `socket` was closed by the server (or null after `limitMs`). */
function closedWithin(socket, limitMs) {
  const start = Date.now();
  socket.resume();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), limitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
}

test('GET /healthz answers 200 for load balancers; HEAD too; the app routes still work', async () => {
  const server = await startCli(['--quiet']);
  try {
    const { raw } = await exchange(
      server.port,
      'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /echo/ok HTTP/1.1\r\nHost: localhost\r\n\r\nGET /nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    const [get, head, echo, missing] = parseResponses(raw, { headRequests: [1] });
    assert.equal(get.status, 200);
    assert.equal(get.body.toString(), 'ok\n');
    assert.equal(get.headers['cache-control'], 'no-store');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(echo.body.toString(), 'ok');
    assert.equal(missing.status, 404);
  } finally {
    await server.stop();
  }
});

test('--keep-alive-timeout closes idle connections after the given time', async () => {
  const short = await startCli(['--quiet', '--keep-alive-timeout', '300ms']);
  const normal = await startCli(['--quiet']);
  try {
    const [a, b] = await Promise.all([connect(short.port), connect(normal.port)]);
    for (const socket of [a, b]) socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const [closedA, closedB] = await Promise.all([closedWithin(a, 1500), closedWithin(b, 1500)]);
    assert.ok(closedA !== null && closedA >= 250, `closed after ${closedA}ms`);
    assert.equal(closedB, null, 'the default (5s) keeps the connection');
    b.destroy();
  } finally {
    await Promise.all([short.stop(), normal.stop()]);
  }
});

test('--headers-timeout answers 408 to a head that does not arrive in time', async () => {
  const server = await startCli(['--quiet', '--headers-timeout', '300ms']);
  try {
    const socket = await connect(server.port);
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
    assert.notEqual(await closedWithin(socket, 2000), null);
    assert.equal(parseResponses(Buffer.concat(chunks))[0].status, 408);
  } finally {
    await server.stop();
  }
});

test('--body-timeout abandons a stalled upload with 408', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-limits-'));
  const server = await startCli(['--quiet', '--directory', dir, '--body-timeout', '300ms']);
  try {
    const { raw } = await exchange(server.port, 'POST /files/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc', { idleMs: 2000 });
    assert.equal(parseResponses(raw)[0].status, 408);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('--max-body-size refuses larger bodies with 413', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-limits-'));
  const server = await startCli(['--quiet', '--directory', dir, '--max-body-size', '1K']);
  try {
    // Both answers end with the connection closed: a long idle wait costs nothing here and
    // lets a first, durable upload take its time on a busy machine.
    const ok = await exchange(server.port, `POST /files/small HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1024\r\nConnection: close\r\n\r\n${'a'.repeat(1024)}`, { idleMs: 10_000 });
    assert.equal(parseResponses(ok.raw)[0].status, 201);
    const big = await exchange(server.port, `POST /files/big HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1025\r\n\r\n${'a'.repeat(1025)}`, { idleMs: 10_000 });
    assert.equal(parseResponses(big.raw)[0].status, 413);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('--max-body-size counts body bytes, not framing: 1-byte chunks up to the limit are stored whole, one more gets 413', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-limits-'));
  const server = await startCli(['--quiet', '--directory', dir, '--max-body-size', '64K']);
  try {
    const limit = 64 * 1024;
    const frames = (n) => Array.from({ length: n }, (_, i) => `1\r\n${String.fromCharCode(0x61 + (i % 26))}\r\n`).join('');
    const head = (name) => `PUT /files/${name} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
    const ok = await exchange(server.port, `${head('at-limit')}${frames(limit)}0\r\n\r\n`);
    assert.equal(parseResponses(ok.raw)[0].status, 201);
    const stored = await readFile(path.join(dir, 'at-limit'), 'latin1');
    assert.equal(stored.length, limit);
    assert.equal(stored.slice(0, 30), 'abcdefghijklmnopqrstuvwxyzabcd');
    const big = await exchange(server.port, `${head('over-limit')}${frames(limit + 1)}0\r\n\r\n`);
    assert.equal(parseResponses(big.raw)[0].status, 413);
    // The 413 leaves as soon as the limit is crossed; the refused upload's temporary file is
    // removed right after, so wait (boundedly) for that rather than racing it.
    assert.deepEqual(await settledListing(dir, ['at-limit']), ['at-limit'], 'nothing of the refused body is left');
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('--max-connections answers 503 beyond the limit', async () => {
  const server = await startCli(['--quiet', '--max-connections', '1']);
  try {
    const first = await connect(server.port);
    await sleep(50);
    const { raw } = await exchange(server.port, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    assert.equal(parseResponses(raw)[0].status, 503);
    first.destroy();
  } finally {
    await server.stop();
  }
});
