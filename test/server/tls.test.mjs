// HTTPS end to end: the CLI serves TLS through the same connection layer with a certificate
// generated here by openssl, and refuses unusable certificate files at start-up.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { CLI, parseResponses, startCli } from '../helpers.mjs';

let dir;
let cert;
let key;
let ca;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-tls-'));
  cert = path.join(dir, 'cert.pem');
  key = path.join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '1',
    '-keyout', key, '-out', cert,
  ]);
  ca = await readFile(cert);
});
after(() => rm(dir, { recursive: true, force: true }));

function httpsGet(port, pathname, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: 'localhost', port, path: pathname, ca, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
}

test('--tls-cert/--tls-key serve HTTPS, verified against the generated certificate', async () => {
  const server = await startCli(['--tls-cert', cert, '--tls-key', key, '--log-format', 'json']);
  try {
    assert.match(server.stderr(), /listening on [^\n]*\(https\)/);
    const echo = await httpsGet(server.port, '/echo/secure');
    assert.equal(echo.status, 200);
    assert.equal(echo.body, 'secure');
    const health = await httpsGet(server.port, '/healthz');
    assert.equal(health.status, 200);

    // Raw TLS: two pipelined requests on one verified connection, answered in order.
    const socket = tls.connect({ host: '127.0.0.1', port: server.port, ca, servername: 'localhost' });
    await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    assert.equal(socket.authorized, true);
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    socket.write('GET /echo/a HTTP/1.1\r\nHost: localhost\r\n\r\nGET /echo/b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    const responses = parseResponses(Buffer.concat(chunks));
    assert.deepEqual(responses.map((r) => r.body.toString()), ['a', 'b']);

    for (let i = 0; i < 50 && server.stdout().split('\n').filter(Boolean).length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.stdout().split('\n').filter(Boolean).length, 4, 'HTTPS requests are logged');
  } finally {
    await server.stop();
  }
});

test('plain HTTP to the HTTPS port gets no HTTP answer and the server keeps running', async () => {
  const server = await startCli(['--tls-cert', cert, '--tls-key', key, '--quiet']);
  try {
    const { exchange } = await import('../helpers.mjs');
    const { raw } = await exchange(server.port, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    assert.ok(!raw.toString('latin1').startsWith('HTTP/1.1 200'));
    assert.equal((await httpsGet(server.port, '/')).status, 200);
  } finally {
    await server.stop();
  }
});

test('a client that never completes the TLS handshake is dropped after --headers-timeout', async () => {
  const server = await startCli(['--tls-cert', cert, '--tls-key', key, '--quiet', '--headers-timeout', '300ms']);
  try {
    const { connect } = await import('../helpers.mjs');
    const socket = await connect(server.port);
    socket.resume();
    const start = Date.now();
    await new Promise((resolve) => {
      socket.once('close', resolve);
      setTimeout(resolve, 3000);
    });
    const took = Date.now() - start;
    assert.ok(socket.destroyed && took >= 250 && took < 3000, `dropped after ${took}ms`);
    socket.destroy();
  } finally {
    await server.stop();
  }
});

test('unreadable or unusable certificate files: one line, exit 1', async () => {
  const garbage = path.join(dir, 'garbage.pem');
  await writeFile(garbage, 'not a certificate\n');
  const run = (args) =>
    new Promise((resolve) => {
      const proc = spawn(process.execPath, [CLI, '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      proc.stderr.on('data', (d) => (stderr += d));
      proc.once('exit', (code) => resolve({ code, stderr }));
    });
  const missing = await run(['--tls-cert', path.join(dir, 'missing.pem'), '--tls-key', key]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^wirehttp: --tls-cert: cannot read [^\n]*missing\.pem: ENOENT\n$/);
  const bad = await run(['--tls-cert', garbage, '--tls-key', key]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^wirehttp: --tls-cert\/--tls-key: unusable certificate or key[^\n]*\n$/);
});
