// server.on('upgrade') as node:http has it: the raw socket handed over with none of the
// connection layer's listeners or timers, the bytes past the head, and ws's handleUpgrade
// working unchanged — over TCP and TLS, within the connection limit and graceful shutdown.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { createServer } from '../../dist/index.js';
import { exchange, parseResponses } from '../helpers.mjs';

const plain = async (req, res) => {
  if (req.path === '/slow') await new Promise((resolve) => setTimeout(resolve, 200));
  res.setHeader('Content-Type', 'text/plain');
  res.end('plain answer');
};

/** A server whose upgrades go to a ws echo server; resolves { server, port, wss }. */
async function echoServer(options = {}, listen = {}) {
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  const server = createServer(plain, options);
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1', ...listen });
  return { server, port, wss };
}

function open(url, options) {
  const ws = new WebSocket(url, options);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function roundTrip(ws, data, binary) {
  return new Promise((resolve) => {
    ws.once('message', (reply, isBinary) => resolve({ reply, isBinary }));
    ws.send(data, { binary });
  });
}

async function echoes(ws) {
  const text = await roundTrip(ws, 'hello över there', false);
  assert.equal(text.isBinary, false);
  assert.equal(text.reply.toString(), 'hello över there');
  const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
  const binary = await roundTrip(ws, bytes, true);
  assert.equal(binary.isBinary, true);
  assert.deepEqual(binary.reply, bytes);
  const big = Buffer.alloc(200 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 13) & 0xff;
  const large = await roundTrip(ws, big, true);
  assert.deepEqual(large.reply, big);
}

const closed = (ws) => new Promise((resolve) => ws.once('close', (code) => resolve(code)));

test('ws echoes text, binary and a 200 KB frame; plain requests are still served', async () => {
  const { server, port } = await echoServer();
  try {
    const ws = await open(`ws://127.0.0.1:${port}/chat`);
    await echoes(ws);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/x`)).text(), 'plain answer');
    ws.close();
    await closed(ws);
  } finally {
    await server.close(100);
  }
});

const EVENTS = ['data', 'end', 'close', 'error', 'drain', 'readable', 'timeout'];

/** Listener counts on a socket fresh from a plain net server: what Node itself adds. */
async function baselineListeners() {
  const bare = net.createServer();
  const accepted = new Promise((resolve) => bare.once('connection', resolve));
  await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const client = net.connect(bare.address().port, '127.0.0.1');
  const socket = await accepted;
  const counts = EVENTS.map((event) => socket.listenerCount(event));
  client.destroy();
  socket.destroy();
  await new Promise((resolve) => bare.close(resolve));
  return counts;
}

test('the listener gets a node-style request, a socket with none of our listeners, and the bytes past the head', async () => {
  const baseline = await baselineListeners();
  const server = createServer(plain);
  const seen = new Promise((resolve) => {
    server.on('upgrade', (req, socket, head) => {
      resolve({
        method: req.method,
        url: req.url,
        httpVersion: req.httpVersion,
        headers: { ...req.headers },
        listeners: EVENTS.map((event) => socket.listenerCount(event)),
        head: head.toString('latin1'),
        isSocket: socket instanceof net.Socket,
      });
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nbye');
    });
  });
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { raw } = await exchange(port, 'GET /room?x=1 HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: Echo\r\nX-Thing: A\r\n\r\nearly bytes');
    assert.deepEqual(await seen, {
      method: 'GET',
      url: '/room?x=1',
      httpVersion: '1.1',
      headers: { host: 'h', connection: 'Upgrade', upgrade: 'Echo', 'x-thing': 'A' },
      listeners: baseline,
      head: 'early bytes',
      isSocket: true,
    });
    assert.match(raw.toString('latin1'), /^HTTP\/1\.1 101 [^]*\r\n\r\nbye$/);
  } finally {
    await server.close(100);
  }
});

test('without an upgrade listener, an upgrade request is served as a normal request', async () => {
  const server = createServer(plain);
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { raw } = await exchange(port, 'GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    const [response] = parseResponses(raw);
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), 'plain answer');
  } finally {
    await server.close(100);
  }
});

test('the connection limit counts upgraded sockets', async () => {
  const { server, port } = await echoServer({ maxConnections: 1 });
  try {
    const ws = await open(`ws://127.0.0.1:${port}/`);
    const { raw } = await exchange(port, 'GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    assert.equal(parseResponses(raw)[0].status, 503);
    ws.close();
    await closed(ws);
    // Once the upgraded socket is gone, its place is free again.
    let status = 503;
    for (let i = 0; i < 40 && status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = parseResponses((await exchange(port, 'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n')).raw)[0].status;
    }
    assert.equal(status, 200);
  } finally {
    await server.close(100);
  }
});

test('graceful shutdown ends upgraded sockets after the grace period, and starts no new upgrade', async () => {
  const { server, port } = await echoServer();
  const ws = await open(`ws://127.0.0.1:${port}/`);
  // A connection with a request in flight and an upgrade request pipelined behind it.
  const late = net.connect(port, '127.0.0.1');
  late.on('error', () => {});
  await new Promise((resolve) => late.once('connect', resolve));
  let lateAnswer = '';
  late.on('data', (d) => (lateAnswer += d));
  const lateEnded = new Promise((resolve) => late.once('close', resolve));
  late.write(
    'GET /slow HTTP/1.1\r\nHost: h\r\n\r\n' +
      'GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  const closing = server.close(400);
  await echoes(ws); // still working within the grace period
  const code = await closed(ws);
  await closing;
  assert.ok(Date.now() - started >= 350, `ended after ${Date.now() - started} ms`);
  assert.equal(code, 1006, 'the socket was cut, not closed by a frame');
  await lateEnded;
  assert.match(lateAnswer, /^HTTP\/1\.1 200 [^]*connection: close[^]*plain answer$/i);
  assert.doesNotMatch(lateAnswer, /101 Switching/);
});

let tlsDir;
let cert;
let key;
before(async () => {
  tlsDir = await mkdtemp(path.join(tmpdir(), 'wirehttp-upgrade-tls-'));
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '1',
    '-keyout', path.join(tlsDir, 'key.pem'), '-out', path.join(tlsDir, 'cert.pem'),
  ]);
  [cert, key] = await Promise.all([readFile(path.join(tlsDir, 'cert.pem')), readFile(path.join(tlsDir, 'key.pem'))]);
});
after(() => rm(tlsDir, { recursive: true, force: true }));

test('over TLS: wss echoes the same way', async () => {
  const { server, port } = await echoServer({}, { tls: { cert, key } });
  try {
    const ws = await open(`wss://localhost:${port}/`, { ca: cert });
    await echoes(ws);
    ws.close();
    await closed(ws);
  } finally {
    await server.close(100);
  }
});

test('guardUpgrade runs handler wrappers on upgrades: refused ones get the wrapper\'s answer', async () => {
  const { guardUpgrade } = await import('../../dist/index.js');
  // A wrapper in the shape of the access rules: answers itself or passes the request on.
  const sameOrigin = (next) => async (req, res) => {
    await new Promise((resolve) => setImmediate(resolve));
    const origin = req.header('origin');
    if (origin !== undefined && origin !== `http://${req.header('host')}`) {
      res.status = 403;
      res.end('cross-site upgrade refused\n');
      return;
    }
    return next(req, res);
  };
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  const server = createServer(plain);
  server.on('upgrade', guardUpgrade(sameOrigin, (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))));
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const ws = await open(`ws://127.0.0.1:${port}/`, { origin: `http://127.0.0.1:${port}` });
    assert.equal((await roundTrip(ws, 'same origin', false)).reply.toString(), 'same origin');
    ws.close();
    await closed(ws);
    await assert.rejects(open(`ws://127.0.0.1:${port}/`, { origin: 'https://evil.example' }), /Unexpected server response: 403/);
    const { raw, closed: ended } = await exchange(
      port,
      'GET / HTTP/1.1\r\nHost: h\r\nOrigin: https://evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
      { idleMs: 1000 },
    );
    assert.match(raw.toString('latin1'), /^HTTP\/1\.1 403 [^]*connection: close[^]*cross-site upgrade refused\n$/i);
    assert.equal(ended, true);
    // Refused sockets are closed and leave the count.
    let count = server.connectionCount;
    for (let i = 0; i < 40 && count > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      count = server.connectionCount;
    }
    assert.equal(count, 0);
  } finally {
    await server.close(100);
  }
});

test('guardUpgrade: a client that resets the connection while a slow wrapper decides leaves the server up', async () => {
  const { guardUpgrade } = await import('../../dist/index.js');
  // As slow as a bcrypt login check; the client resets the connection long before it is done.
  const slow = (next) => async (req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return next(req, res);
  };
  const handed = [];
  const server = createServer(plain);
  server.on('upgrade', guardUpgrade(slow, (req, socket) => {
    handed.push(socket.destroyed);
    socket.destroy();
  }));
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.resetAndDestroy();
    for (let i = 0; i < 40 && handed.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.deepEqual(handed, [true], 'the listener still gets the upgrade, its socket already closed');
    const { raw } = await exchange(port, 'GET / HTTP/1.1\r\nHost: h\r\n\r\n', { idleMs: 200 });
    assert.match(raw.toString('latin1'), /plain answer$/);
  } finally {
    await server.close(100);
  }
});

test('the host and origin guards refuse rebound and cross-site upgrades through guardUpgrade', async () => {
  const { guardUpgrade, hostGuard, originGuard } = await import('../../dist/index.js');
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  const guards = (next) => hostGuard()(originGuard({ scheme: 'http' })(next));
  const server = createServer(guards(plain));
  server.on('upgrade', guardUpgrade(guards, (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))));
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const ws = await open(`ws://127.0.0.1:${port}/`, { origin: `http://127.0.0.1:${port}` });
    await echoes(ws);
    ws.close();
    await closed(ws);
    await assert.rejects(open(`ws://127.0.0.1:${port}/`, { origin: 'https://evil.example' }), /Unexpected server response: 403/);
    await assert.rejects(open(`ws://127.0.0.1:${port}/`, { headers: { 'sec-fetch-site': 'cross-site' } }), /Unexpected server response: 403/);
    // DNS rebinding: a page whose own name now points at 127.0.0.1 is "same origin" by its Host.
    await assert.rejects(open(`ws://127.0.0.1:${port}/`, { headers: { host: `rebound.example:${port}` }, origin: `http://rebound.example:${port}` }), /Unexpected server response: 421/);
    assert.equal(wss.clients.size, 0);
  } finally {
    await server.close(100);
  }
});
