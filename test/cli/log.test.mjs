// Access log and start-up output of the CLI: Combined Log Format, JSON lines, --quiet,
// batching, and client addresses behind a trusted proxy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessLogger } from '../../dist/cli/access-log.js';
import { proxiedClientAddress } from '../../dist/cli/client-address.js';
import { LineBuffer } from '../../dist/cli/line-buffer.js';
import { exchange, startCli } from '../helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the server has written `count` log lines to stdout. */
async function logLines(server, count) {
  for (let i = 0; i < 100; i++) {
    const lines = server.stdout().split('\n').filter(Boolean);
    if (lines.length >= count) return lines;
    await sleep(20);
  }
  throw new Error(`expected ${count} log lines, got: ${server.stdout()}`);
}

const CLF = /^(\S+) - - \[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) \+0000\] "([^"]*)" (\d{3}) (\d+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"$/;

test('default: one Combined Log Format line per request on stdout, start-up on stderr', async () => {
  const server = await startCli();
  try {
    assert.match(server.stderr(), /^wirehttp listening on 127\.0\.0\.1:\d+[^\n]*no --directory/);
    await exchange(
      server.port,
      'GET /echo/hello HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test "agent"\r\nReferer: http://example.test/\r\n\r\n' +
        'GET /missing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    const lines = await logLines(server, 2);
    assert.equal(lines.length, 2);
    const first = CLF.exec(lines[0]);
    assert.ok(first, lines[0]);
    assert.equal(first[1], '127.0.0.1');
    assert.equal(first[8], 'GET /echo/hello HTTP/1.1');
    assert.equal(first[9], '200');
    assert.equal(first[10], '5');
    assert.equal(first[11], 'http://example.test/');
    assert.equal(first[12], 'test \\"agent\\"');
    const second = CLF.exec(lines[1]);
    assert.equal(second[9], '404');
    assert.equal(second[12], '-');
    assert.ok(!server.stderr().includes('GET'), 'no access log on stderr');
  } finally {
    await server.stop();
  }
});

test('--log-format json: one JSON object per line with the documented fields', async () => {
  const server = await startCli(['--log-format', 'json']);
  try {
    const before = Date.now();
    await exchange(server.port, 'GET /user-agent HTTP/1.1\r\nHost: localhost\r\nUser-Agent: probe/1\r\nConnection: close\r\n\r\n');
    const [line] = await logLines(server, 1);
    const entry = JSON.parse(line);
    assert.deepEqual(Object.keys(entry).sort(), ['bytes', 'durationMs', 'method', 'referer', 'remoteAddress', 'status', 'target', 'time', 'userAgent']);
    assert.equal(entry.remoteAddress, '127.0.0.1');
    assert.equal(entry.method, 'GET');
    assert.equal(entry.target, '/user-agent');
    assert.equal(entry.status, 200);
    assert.equal(entry.bytes, 'probe/1'.length);
    assert.equal(entry.userAgent, 'probe/1');
    assert.equal(typeof entry.durationMs, 'number');
    assert.ok(entry.durationMs >= 0);
    assert.ok(Math.abs(Date.parse(entry.time) - before) < 5000);
  } finally {
    await server.stop();
  }
});

test('a request that cannot be parsed is logged too', async () => {
  const server = await startCli(['--log-format', 'json']);
  try {
    await exchange(server.port, 'BROKEN\r\n\r\n');
    const entry = JSON.parse((await logLines(server, 1))[0]);
    assert.equal(entry.status, 400);
    assert.equal(entry.method, null);
  } finally {
    await server.stop();
  }
});

test('--quiet: no access log at all', async () => {
  const server = await startCli(['--quiet']);
  try {
    await exchange(server.port, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await sleep(300);
    assert.equal(server.stdout(), '');
  } finally {
    await server.stop();
  }
});

test('--trust-proxy: the client address comes from the right-most Forwarded / X-Forwarded-For entry', async () => {
  const request = (headers) => `GET / HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`;
  const trusting = await startCli(['--trust-proxy', '--log-format', 'json']);
  const plain = await startCli(['--log-format', 'json']);
  try {
    const forwarded = [
      request('X-Forwarded-For: 203.0.113.9, 198.51.100.7\r\n'),
      request('Forwarded: for=192.0.2.1, for="[2001:db8::17]:4711";proto=https\r\nX-Forwarded-For: 10.9.9.9\r\n'),
      request('X-Forwarded-For: not an address\r\nConnection: close\r\n'),
    ].join('');
    await exchange(trusting.port, forwarded);
    await exchange(plain.port, forwarded);
    const seen = (await logLines(trusting, 3)).map((l) => JSON.parse(l).remoteAddress);
    assert.deepEqual(seen, ['198.51.100.7', '2001:db8::17', '127.0.0.1']);
    const ignored = (await logLines(plain, 3)).map((l) => JSON.parse(l).remoteAddress);
    assert.deepEqual(ignored, ['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  } finally {
    await Promise.all([trusting.stop(), plain.stop()]);
  }
});

test('proxiedClientAddress: ports, brackets, quotes, obfuscated names and garbage', () => {
  const req = (headers) => ({ header: (name) => headers[name] });
  assert.equal(proxiedClientAddress(req({ 'x-forwarded-for': '198.51.100.7:5555' }), 'peer'), '198.51.100.7');
  assert.equal(proxiedClientAddress(req({ 'x-forwarded-for': '2001:db8::1' }), 'peer'), '2001:db8::1');
  assert.equal(proxiedClientAddress(req({ forwarded: 'for=_hidden-node' }), 'peer'), '_hidden-node');
  assert.equal(proxiedClientAddress(req({ forwarded: 'proto=https;FOR="192.0.2.60:80"' }), 'peer'), '192.0.2.60');
  assert.equal(proxiedClientAddress(req({ forwarded: 'for=unknown' }), 'peer'), 'peer');
  assert.equal(proxiedClientAddress(req({ forwarded: 'for="[2001:db8::1"' }), 'peer'), 'peer');
  assert.equal(proxiedClientAddress(req({ 'x-forwarded-for': '1.2.3.4\x1b[31m' }), 'peer'), 'peer');
  assert.equal(proxiedClientAddress(req({}), 'peer'), 'peer');
});

test('LineBuffer: writes lines in batches, at once when large, and on flush()', async () => {
  const writes = [];
  const buffer = new LineBuffer((text) => writes.push(text), 100, 30);
  buffer.push('a\n');
  buffer.push('b\n');
  assert.deepEqual(writes, [], 'nothing written synchronously per line');
  await sleep(80);
  assert.deepEqual(writes, ['a\nb\n']);
  buffer.push('x'.repeat(60) + '\n');
  buffer.push('y'.repeat(60) + '\n');
  assert.equal(writes.length, 2, 'a full buffer is written without waiting');
  buffer.push('z\n');
  buffer.flush();
  assert.deepEqual(writes.slice(2), ['z\n']);
  buffer.flush();
  assert.equal(writes.length, 3, 'an empty flush writes nothing');
});

test('log lines escape what a client controls: one request is always one line', () => {
  const headers = { 'user-agent': 'evil\n127.0.0.1 - - "GET /forged" \x1b[31m\\', referer: 'https://example.test/é' };
  const request = { method: 'GET', target: '/x', httpVersion: '1.1', header: (name) => headers[name] };
  const record = { request, remoteAddress: '::1', status: 200, bytes: 0, durationMs: 1.23456 };
  const lines = [];
  accessLogger('combined', false, (line) => lines.push(line))(record);
  accessLogger('json', false, (line) => lines.push(line))(record);
  for (const line of lines) assert.equal(line.indexOf('\n'), line.length - 1);
  assert.ok(lines[0].endsWith(' "https://example.test/\\xe9" "evil\\x0a127.0.0.1 - - \\"GET /forged\\" \\x1b[31m\\\\"\n'), lines[0]);
  const entry = JSON.parse(lines[1]);
  assert.equal(entry.userAgent, headers['user-agent']);
  assert.equal(entry.referer, headers.referer);
  assert.equal(entry.durationMs, 1.235);
  assert.equal(entry.remoteAddress, '::1');
});
