// Graceful shutdown of the real CLI: SIGTERM lets an upload in flight finish, keeps idle
// connections until their keep-alive deadline (a request on one is answered with close),
// refuses new connections, and exits 0; --shutdown-delay fails /healthz first; a second
// signal stops at once.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connect, parseResponses, startCli } from '../helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-shutdown-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** Collects what the server sends on `socket` until it closes. */
function collect(socket) {
  const chunks = [];
  socket.on('data', (d) => chunks.push(d));
  return new Promise((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks))));
}

/** Starts a streamed upload of `total` bytes, sending only the head and `firstBytes` bytes. */
async function startUpload(port, name, total, firstBytes) {
  const socket = await connect(port);
  socket.on('error', () => {});
  const received = collect(socket);
  socket.write(`POST /files/${name} HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${total}\r\n\r\n`);
  socket.write(Buffer.alloc(firstBytes, 0x61));
  return { socket, received };
}

test('SIGTERM: an upload in flight completes and is stored whole; idle connections stay until their keep-alive deadline; exit 0', async () => {
  const server = await startCli(['--directory', dir, '--quiet', '--keep-alive-timeout', '1s']);
  try {
    // An idle keep-alive connection, after one exchange.
    const idle = await connect(server.port);
    const idleClosed = new Promise((resolve) => idle.once('close', () => resolve(Date.now())));
    const idleData = collect(idle);
    idle.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await sleep(100);

    const chunk = Buffer.alloc(64 * 1024, 0x62);
    const total = 10 * chunk.length;
    const upload = await startUpload(server.port, 'slow.bin', total, 0);
    upload.socket.write(chunk);
    await sleep(150);

    process.kill(server.pid, 'SIGTERM');
    for (let i = 1; i < 10; i++) {
      await sleep(60);
      upload.socket.write(chunk);
    }
    const uploadSentAt = Date.now();
    const raw = await upload.received;
    const [res] = parseResponses(raw);
    assert.equal(res.status, 201);
    assert.equal(res.headers.connection, 'close');

    // The idle connection stayed open while the upload went on (a proxy may have sent a
    // request on it), and closed at its keep-alive deadline.
    assert.ok((await idleClosed) > uploadSentAt, 'idle keep-alive connection kept, not closed at once');
    assert.equal(parseResponses(await idleData)[0].status, 200);

    const { code, signal } = await server.exited;
    assert.equal(signal, null);
    assert.equal(code, 0, server.stderr());
    assert.match(server.stderr(), /SIGTERM: shutting down/);
    const stored = await readFile(path.join(dir, 'slow.bin'));
    assert.equal(stored.length, total);
    assert.ok(stored.every((b) => b === 0x62));
  } finally {
    await server.stop();
  }
});

test('SIGTERM on an idle connection: a request sent on it meanwhile is answered, with close', async () => {
  const server = await startCli(['--quiet']);
  try {
    const socket = await connect(server.port);
    socket.on('error', () => {});
    const received = collect(socket);
    socket.write('GET /echo/first HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await sleep(100);
    process.kill(server.pid, 'SIGTERM');
    await sleep(200);
    socket.write('POST /echo/second HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nhi');
    const responses = parseResponses(await received);
    assert.equal(responses.length, 2, 'the request sent after SIGTERM got an answer');
    assert.equal(responses[1].headers.connection, 'close');
    assert.equal((await server.exited).code, 0);
  } finally {
    await server.stop();
  }
});

test('--shutdown-delay: /healthz fails with 503 while requests are still served, then the port closes', async () => {
  const server = await startCli(['--quiet', '--shutdown-delay', '600ms']);
  try {
    const health = async () => (await fetch(`http://127.0.0.1:${server.port}/healthz`)).status;
    assert.equal(await health(), 200);
    const signalledAt = Date.now();
    process.kill(server.pid, 'SIGTERM');
    await sleep(150);
    assert.equal(await health(), 503);
    const echo = await fetch(`http://127.0.0.1:${server.port}/echo/still`);
    assert.equal(echo.status, 200);
    assert.equal(await echo.text(), 'still');
    const { code } = await server.exited;
    const took = Date.now() - signalledAt;
    assert.equal(code, 0);
    assert.ok(took >= 550, `exited after ${took}ms, before the delay was over`);
    assert.match(server.stderr(), /failing \/healthz for 0\.6s/);
  } finally {
    await server.stop();
  }
});

test('--shutdown-delay with --workers: every worker fails /healthz, then all exit 0', async () => {
  const server = await startCli(['--quiet', '--workers', '2', '--shutdown-delay', '800ms']);
  try {
    process.kill(server.pid, 'SIGTERM');
    await sleep(200);
    // New connections each: the primary hands them to either worker.
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`http://127.0.0.1:${server.port}/healthz`, { headers: { connection: 'close' } });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [503, 503, 503, 503, 503, 503]);
    assert.equal((await server.exited).code, 0, server.stderr());
    assert.match(server.stderr(), /shutting down 2 workers, failing \/healthz for 0\.8s/);
  } finally {
    await server.stop();
  }
});

test('SIGTERM: no new connections are accepted while shutting down', async () => {
  const server = await startCli(['--directory', dir, '--quiet']);
  try {
    const upload = await startUpload(server.port, 'hold.bin', 1000, 10);
    await sleep(100);
    process.kill(server.pid, 'SIGTERM');
    await sleep(200);
    await assert.rejects(
      new Promise((resolve, reject) => {
        const s = net.connect({ port: server.port, host: '127.0.0.1' }, () => resolve(s));
        s.once('error', reject);
      }),
      { code: 'ECONNREFUSED' },
    );
    upload.socket.write(Buffer.alloc(990, 0x61));
    assert.equal(parseResponses(await upload.received)[0].status, 201);
    assert.equal((await server.exited).code, 0);
  } finally {
    await server.stop();
  }
});

test('SIGTERM: what is still running after --shutdown-timeout is cut off, and the exit is still 0', async () => {
  const server = await startCli(['--directory', dir, '--quiet', '--shutdown-timeout', '300ms']);
  try {
    const upload = await startUpload(server.port, 'stalled.bin', 1000, 10);
    await sleep(100);
    const signalledAt = Date.now();
    process.kill(server.pid, 'SIGTERM');
    await upload.received;
    const { code } = await server.exited;
    const took = Date.now() - signalledAt;
    assert.equal(code, 0);
    assert.ok(took >= 250 && took < 3000, `stopped after ${took}ms`);
    await assert.rejects(readFile(path.join(dir, 'stalled.bin')), { code: 'ENOENT' });
  } finally {
    await server.stop();
  }
});

test('a second signal stops at once with 128 + the signal number', async () => {
  const server = await startCli(['--directory', dir, '--quiet']);
  try {
    const upload = await startUpload(server.port, 'never.bin', 1000, 10);
    await sleep(100);
    process.kill(server.pid, 'SIGTERM');
    await sleep(100);
    process.kill(server.pid, 'SIGINT');
    const { code } = await server.exited;
    assert.equal(code, 130);
    assert.match(server.stderr(), /SIGINT again: stopping now/);
    upload.socket.destroy();
  } finally {
    await server.stop();
  }
});
