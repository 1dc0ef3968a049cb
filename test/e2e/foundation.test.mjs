// End-to-end tests of the CLI's foundation behaviour, one behaviour per test, over raw TCP.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { CLI, connect, exchange, parseResponses, startCli } from '../helpers.mjs';

/** Every response must carry Date and be framed by Content-Length or chunked. */
function checked(raw, opts) {
  const responses = parseResponses(raw, opts);
  for (const res of responses) {
    assert.ok(res.headers.date, 'Date header');
    assert.ok(res.headers['content-length'] !== undefined || res.headers['transfer-encoding'] === 'chunked');
  }
  return responses;
}

/** One request with Connection: close; resolves the single parsed response. */
async function get(port, target, headers = '', host = '127.0.0.1') {
  const { raw } = await exchange(port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${headers}Connection: close\r\n\r\n`, {
    host,
  });
  const responses = checked(raw);
  assert.equal(responses.length, 1);
  return responses[0];
}

/** A port that nothing listens on right now, on both loopback families. */
async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen({ port: 0, host: '::', ipv6Only: false }, resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Runs the CLI expecting it to exit; resolves { code, stderr }. */
function runToExit(args) {
  const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  return new Promise((resolve) =>
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

function assertOneLineError(stderr) {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${stderr}`);
  assert.match(lines[0], /^wirehttp: /);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
}

describe('listening', () => {
  test('by default it listens on both 127.0.0.1 and ::1 on the same port', async () => {
    const port = await freePort();
    const server = await startCli(['--port', String(port)]);
    try {
      assert.equal(server.port, port);
      assert.equal((await get(port, '/', '', '127.0.0.1')).status, 200);
      assert.equal((await get(port, '/', '', '::1')).status, 200);
    } finally {
      await server.stop();
    }
  });

  test('--host 127.0.0.1 binds IPv4 only', async () => {
    const server = await startCli(['--host', '127.0.0.1']);
    try {
      assert.equal((await get(server.port, '/')).status, 200);
      await assert.rejects(connect(server.port, '::1'), { code: 'ECONNREFUSED' });
    } finally {
      await server.stop();
    }
  });

  test('a port in use gives a one-line error and a non-zero exit', async () => {
    const blocker = net.createServer();
    await new Promise((resolve) => blocker.listen({ port: 0, host: '127.0.0.1' }, resolve));
    try {
      const { code, stderr } = await runToExit(['--port', String(blocker.address().port), '--host', '127.0.0.1']);
      assert.notEqual(code, 0);
      assertOneLineError(stderr);
      assert.match(stderr, /in use/);
    } finally {
      blocker.close();
    }
  });

  test('an unknown flag gives a one-line error and exit code 2', async () => {
    const { code, stderr } = await runToExit(['--bogus']);
    assert.equal(code, 2);
    assertOneLineError(stderr);
  });

  test('a bad port value gives a one-line error and exit code 2', async () => {
    const { code, stderr } = await runToExit(['--port', '70000']);
    assert.equal(code, 2);
    assertOneLineError(stderr);
  });
});

describe('routes', () => {
  let server;
  let plain;
  let dir;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wirehttp-foundation-'));
    [server, plain] = await Promise.all([startCli(['--directory', dir]), startCli()]);
  });
  after(async () => {
    await Promise.all([server.stop(), plain.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  test('GET / answers 200', async () => {
    const res = await get(server.port, '/');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
  });

  test('an unknown path answers 404', async () => {
    assert.equal((await get(server.port, '/no/such/thing')).status, 404);
  });

  test('/echo/{text} is percent-decoded UTF-8 and Content-Length counts bytes', async () => {
    const res = await get(server.port, '/echo/h%C3%A9');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], '3');
    assert.equal(res.body.toString('utf8'), 'hé');
    assert.match(res.headers['content-type'], /^text\/plain/);
  });

  test('CR/LF cannot be injected through /echo', async () => {
    const res = await get(server.port, '/echo/a%0d%0aX-Evil:1%0d%0a%0d%0aboom');
    assert.equal(res.headers['x-evil'], undefined);
    if (res.status === 200) assert.equal(res.body.toString(), 'a\r\nX-Evil:1\r\n\r\nboom');
    else assert.equal(res.status, 400);
  });

  test('/user-agent finds the header whatever its case and position', async () => {
    for (const headers of [
      'User-Agent: agent/1\r\nAccept: */*\r\n',
      'Accept: */*\r\nuser-agent: agent/1\r\n',
      'X-A: 1\r\nUSER-AGENT: agent/1\r\nX-B: 2\r\n',
      'uSeR-aGeNt:    agent/1  \r\n',
    ]) {
      const res = await get(server.port, '/user-agent', headers);
      assert.equal(res.status, 200);
      assert.equal(res.body.toString(), 'agent/1', headers);
    }
  });

  test('a client that sends half a request and stalls does not delay others', async () => {
    const staller = await connect(server.port);
    staller.write('GET /echo/slow HTTP/1.1\r\nHost: loc');
    try {
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => get(server.port, `/echo/fast-${i}`)));
      results.forEach((res, i) => assert.equal(res.body.toString(), `fast-${i}`));
      assert.ok(Date.now() - started < 2000, 'answered while the other client stalls');
    } finally {
      staller.destroy();
    }
  });

  test('GET /files/{name} returns the exact bytes, all 256 byte values included', async () => {
    const content = Buffer.alloc(256 * 40);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7 + (i >> 8)) & 0xff;
    await writeFile(path.join(dir, 'all-bytes.bin'), content);
    const res = await get(server.port, '/files/all-bytes.bin');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], String(content.length));
    assert.equal(new Set(res.body).size, 256);
    assert.deepEqual(res.body, content);
  });

  test('a missing file answers 404, and /files/ answers 404 without --directory', async () => {
    assert.equal((await get(server.port, '/files/missing.txt')).status, 404);
    await writeFile(path.join(dir, 'present.txt'), 'x');
    assert.equal((await get(plain.port, '/files/present.txt')).status, 404);
  });

  test('POST /files/{name} answers 201 Created and stores the exact bytes', async () => {
    const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff));
    const head = `POST /files/upload.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const { raw } = await exchange(server.port, Buffer.concat([Buffer.from(head), body]));
    const [res] = checked(raw);
    assert.equal(res.status, 201);
    assert.equal(res.reason, 'Created');
    assert.deepEqual(await readFile(path.join(dir, 'upload.bin')), body);
  });

  test('Accept-Encoding: gzip gives a gzip body whose Content-Length is the compressed size', async () => {
    for (const accept of ['gzip', 'encoding-1, gzip, encoding-2']) {
      const res = await get(server.port, '/echo/compress-me-please', `Accept-Encoding: ${accept}\r\n`);
      assert.equal(res.headers['content-encoding'], 'gzip', accept);
      assert.equal(Number(res.headers['content-length']), res.body.length);
      assert.equal(gunzipSync(res.body).toString(), 'compress-me-please');
      assert.equal(res.headers.vary, 'Accept-Encoding');
    }
  });

  test('without a supported coding the body is sent as is, still with Vary', async () => {
    for (const headers of ['Accept-Encoding: encoding-1, encoding-2\r\n', '']) {
      const res = await get(server.port, '/echo/plain', headers);
      assert.equal(res.headers['content-encoding'], undefined);
      assert.equal(res.body.toString(), 'plain');
      assert.equal(res.headers.vary, 'Accept-Encoding');
    }
  });
});

describe('connection management', () => {
  let server;
  before(async () => {
    server = await startCli();
  });
  after(() => server.stop());

  test('HTTP/1.1 connections stay open by default', async () => {
    const { raw, closed } = await exchange(server.port, 'GET /echo/a HTTP/1.1\r\nHost: localhost\r\n\r\n', { idleMs: 300 });
    const [res] = checked(raw);
    assert.equal(res.status, 200);
    assert.equal(res.headers.connection, undefined);
    assert.equal(closed, false, 'the server kept the connection open');
  });

  test('pipelined requests are answered in order', async () => {
    const wire = ['a', 'b', 'c'].map((t) => `GET /echo/${t} HTTP/1.1\r\nHost: localhost\r\n\r\n`).join('');
    const { raw } = await exchange(server.port, `${wire}GET /user-agent HTTP/1.1\r\nHost: localhost\r\nUser-Agent: d\r\n\r\n`, {
      idleMs: 300,
    });
    assert.deepEqual(
      checked(raw).map((r) => r.body.toString()),
      ['a', 'b', 'c', 'd'],
    );
  });

  test('Connection: close is answered with Connection: close, then the server closes', async () => {
    const wire = 'GET /echo/a HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\nGET /echo/b HTTP/1.1\r\nHost: localhost\r\n\r\n';
    const { raw, closed } = await exchange(server.port, wire, { idleMs: 3000 });
    const responses = checked(raw);
    assert.equal(responses.length, 1, 'nothing after the closing response');
    assert.equal(responses[0].headers.connection, 'close');
    assert.equal(closed, true);
  });

  test('HTTP/1.0 closes unless keep-alive is asked for', async () => {
    const once = await exchange(server.port, 'GET /echo/a HTTP/1.0\r\n\r\n', { idleMs: 3000 });
    assert.equal(checked(once.raw)[0].headers.connection, 'close');
    assert.equal(once.closed, true);
    const kept = await exchange(server.port, 'GET /echo/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /echo/b HTTP/1.0\r\n\r\n', {
      idleMs: 3000,
    });
    const responses = checked(kept.raw);
    assert.deepEqual(responses.map((r) => r.body.toString()), ['a', 'b']);
    assert.equal(responses[0].headers.connection, 'keep-alive');
    assert.equal(responses[1].headers.connection, 'close');
    assert.equal(kept.closed, true);
  });
});
