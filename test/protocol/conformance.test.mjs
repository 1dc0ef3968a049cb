// RFC 9110 / 9112 conformance: raw requests against an in-process server. The cases live in
// conformance-cases.mjs; this file runs them and adds the exchanges that need a conversation
// (100-continue) rather than one write.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Router, createServer } from '../../dist/index.js';
import { BODY_LIMIT, CASES, STRICTNESS } from './conformance-cases.mjs';

const PROBE = 'GET /probe HTTP/1.1\r\nHost: a\r\n\r\n';

let server;
let port;
before(async () => {
  const router = new Router()
    .get('/only-get', (_req, res) => res.end('only-get'))
    .notFound(async (req, res) => {
      const body = await req.bytes(BODY_LIMIT);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ m: req.method, p: req.path, q: req.query, n: body.length, x: req.header('x-echo') }));
    });
  server = createServer(router.handle, { maxBodyBytes: BODY_LIMIT });
  [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
});
after(() => server.close(100));

/** Parses one complete response at the start of `buf`; null while incomplete. */
function takeResponse(buf) {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const lines = buf.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(lines[0])?.[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buf.length < headEnd + 4 + length) return null;
  const body = buf.subarray(headEnd + 4, headEnd + 4 + length);
  return { status, headers, body, rest: buf.subarray(headEnd + 4 + length) };
}

/** A client that collects bytes and can wait for a response or for the server to close. */
function client() {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {}); // a reset after the server's final response is acceptable
  const state = { buf: Buffer.alloc(0), ended: false, socket };
  let wake = () => {};
  socket.on('data', (d) => {
    state.buf = Buffer.concat([state.buf, d]);
    wake();
  });
  socket.on('close', () => {
    state.ended = true;
    wake();
  });
  state.until = (done, ms = 3000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(state.buf.toString('latin1'))}`)), ms);
      wake = () => {
        if (done()) {
          clearTimeout(timer);
          resolve();
        }
      };
      wake();
    });
  state.response = async () => {
    let res = null;
    await state.until(() => (res = takeResponse(state.buf)) !== null || state.ended);
    assert.ok(res, `no complete response before close: ${JSON.stringify(state.buf.toString('latin1'))}`);
    state.buf = res.rest;
    return res;
  };
  return state;
}

function assertFraming(res) {
  assert.ok(res.headers.date, 'every response has Date');
  assert.ok(res.headers['content-length'] !== undefined || res.headers['transfer-encoding'] === 'chunked');
}

async function runCase(c) {
  const conn = client();
  const pipelined = c.close && c.pipeline !== false;
  conn.socket.write(Buffer.from(pipelined ? c.send + PROBE : c.send, 'latin1'));
  const res = await conn.response();
  try {
    assert.equal(res.status, c.status, `status; body: ${res.body.toString('latin1')}`);
    assertFraming(res);
    for (const [name, value] of Object.entries(c.headers ?? {})) assert.equal(res.headers[name], value, name);
    if (c.reach !== undefined) {
      const seen = JSON.parse(res.body.toString('utf8'));
      for (const [key, value] of Object.entries(c.reach)) assert.deepEqual(seen[key], value, `handler saw ${key}`);
    }
    if (c.close) {
      assert.equal(res.headers.connection, 'close', 'a closing response says Connection: close');
      await conn.until(() => conn.ended);
      assert.equal(conn.buf.length, 0, `nothing may follow the final response: ${conn.buf.toString('latin1')}`);
    } else {
      assert.notEqual(res.headers.connection, 'close');
      conn.socket.write(PROBE);
      const next = await conn.response();
      assert.equal(next.status, 200, 'the connection stays usable');
      assert.equal(JSON.parse(next.body.toString()).p, '/probe');
    }
  } finally {
    conn.socket.destroy();
  }
}

describe('conformance cases', () => {
  test(`there are at least 150 cases (${CASES.length})`, () => {
    assert.ok(CASES.length >= 150);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, 'case names are unique');
  });
  test('every strictness case says what justifies it', () => {
    for (const c of STRICTNESS) if (c.status >= 400 && c.status !== 414) assert.ok(c.why, c.name);
  });
  for (const c of CASES) test(`${c.status}${c.close ? ' close' : ''}: ${c.name}`, () => runCase(c));
});

describe('Expect: 100-continue', () => {
  test('100 Continue is sent before the body, then the final response', async () => {
    const conn = client();
    conn.socket.write('POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    await conn.until(() => conn.buf.includes('\r\n\r\n'));
    assert.equal(conn.buf.toString('latin1'), 'HTTP/1.1 100 Continue\r\n\r\n');
    conn.buf = Buffer.alloc(0);
    conn.socket.write('hello');
    const res = await conn.response();
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body.toString()).n, 5);
    conn.socket.destroy();
  });

  test('a body over the limit is refused with 413 at once, without 100 Continue', async () => {
    const conn = client();
    conn.socket.write(`POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: ${BODY_LIMIT + 1}\r\nExpect: 100-continue\r\n\r\n`);
    const res = await conn.response();
    assert.equal(res.status, 413);
    assert.equal(res.headers.connection, 'close');
    await conn.until(() => conn.ended);
  });

  test('a handler that answers without reading the body sends no 100 Continue and closes', async () => {
    const conn = client();
    conn.socket.write('POST /only-get HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    const res = await conn.response();
    assert.equal(res.status, 405);
    assert.equal(res.headers.connection, 'close', 'the unread body would otherwise be parsed as a request');
    await conn.until(() => conn.ended);
  });
});

describe('framing errors close the connection', () => {
  test('a request pipelined behind a bad one over several writes is never answered', async () => {
    const conn = client();
    conn.socket.write(PROBE);
    const first = await conn.response();
    assert.equal(first.status, 200);
    conn.socket.write('POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc');
    const bad = await conn.response();
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.connection, 'close');
    conn.socket.write(PROBE);
    await conn.until(() => conn.ended);
    assert.equal(conn.buf.length, 0);
  });

  test('a body cut short by a half-close is the client\'s error (400), then the server closes', async () => {
    const conn = client();
    conn.socket.end('POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab');
    const res = await conn.response();
    assert.equal(res.status, 400);
    assert.equal(res.headers.connection, 'close');
    await conn.until(() => conn.ended);
  });
});
