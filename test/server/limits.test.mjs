// Timeouts and the connection cap, against in-process servers with short configured limits.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Router, createServer } from '../../dist/index.js';
import { parseResponses } from '../helpers.mjs';

const TIMEOUT_MS = 300;
const BIG_RESPONSE = 16 * 1024 * 1024;

/** Opens a socket that records everything and when the server closed it. */
function open(port) {
  const socket = net.connect(port, '127.0.0.1');
  const chunks = [];
  const state = {
    socket,
    closedAt: 0,
    openedAt: Date.now(),
    get buf() {
      return Buffer.concat(chunks);
    },
  };
  socket.on('error', () => {});
  socket.on('data', (d) => chunks.push(d));
  state.closed = new Promise((resolve) =>
    socket.on('end', () => {
      state.closedAt = Date.now();
      resolve();
    }),
  );
  state.connected = new Promise((resolve) => socket.once('connect', resolve));
  return state;
}

function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('timeouts', () => {
  let server;
  let port;
  const bodyErrors = [];
  const lateReads = [];
  const lateAnswers = [];
  before(async () => {
    const router = new Router()
      .get('/', (_req, res) => res.end('ok'))
      .post('/slow-to-read', async (req, res) => {
        await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2));
        res.end(`${(await req.bytes()).length}`);
      })
      .post('/answer-anyway', async (req, res) => {
        try {
          await req.bytes();
        } catch {
          res.status = 422;
          res.end('too late');
          lateAnswers.push('ended without error');
          return;
        }
        res.end();
      })
      .post('/slow-consumer', async (req, res) => {
        await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2));
        try {
          await req.bytes(BIG_RESPONSE);
        } catch (error) {
          bodyErrors.push(error);
          throw error;
        }
        res.end();
      })
      .post('/late-read', async (req, res) => {
        await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2));
        try {
          lateReads.push(`read ${(await req.bytes()).length} bytes`);
        } catch (error) {
          lateReads.push(`failed: ${error.message}`);
          throw error;
        }
        res.end();
      })
      .post('/upload', async (req, res) => {
        try {
          const body = await req.bytes();
          res.end(`${body.length}`);
        } catch (error) {
          bodyErrors.push(error);
          throw error;
        }
      });
    server = createServer(router.handle, {
      headersTimeoutMs: TIMEOUT_MS,
      keepAliveTimeoutMs: TIMEOUT_MS,
      bodyTimeoutMs: TIMEOUT_MS,
      onError: (error) => assert.fail(`no handler error expected: ${error}`),
    });
    [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => server.close(100));

  test('a head not complete within headersTimeoutMs gets 408 and the connection closes', async () => {
    const conn = open(port);
    conn.socket.write('GET / HTTP/1.1\r\nHost: a\r\n');
    await within(conn.closed, TIMEOUT_MS * 5, 'close');
    const [res] = parseResponses(conn.buf);
    assert.equal(res.status, 408);
    assert.equal(res.headers.connection, 'close');
    assert.ok(conn.closedAt - conn.openedAt >= TIMEOUT_MS * 0.9, 'not before the deadline');
  });

  test('trickling the head does not extend the deadline', async () => {
    const conn = open(port);
    const text = 'GET / HTTP/1.1\r\nHost: a\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    let i = 0;
    const timer = setInterval(() => conn.socket.write(text[i++ % text.length]), 20);
    try {
      await within(conn.closed, TIMEOUT_MS * 5, 'close');
    } finally {
      clearInterval(timer);
    }
    assert.equal(parseResponses(conn.buf)[0].status, 408);
  });

  test('a connection that never sends anything is closed silently after headersTimeoutMs', async () => {
    const conn = open(port);
    await within(conn.closed, TIMEOUT_MS * 5, 'close');
    assert.equal(conn.buf.length, 0);
  });

  test('an idle keep-alive connection closes after keepAliveTimeoutMs, and not before', async () => {
    const conn = open(port);
    conn.socket.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await conn.connected;
    const answeredBy = Date.now();
    await within(conn.closed, TIMEOUT_MS * 5, 'idle close');
    const [res] = parseResponses(conn.buf);
    assert.equal(res.status, 200);
    assert.notEqual(res.headers.connection, 'close', 'the response itself kept the connection open');
    assert.ok(conn.closedAt - answeredBy >= TIMEOUT_MS * 0.8);
  });

  test('a keep-alive connection used within its timeout stays open', async () => {
    const conn = open(port);
    for (let i = 0; i < 3; i++) {
      conn.socket.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
      await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS / 2));
    }
    assert.equal(conn.closedAt, 0);
    assert.equal(parseResponses(conn.buf).length, 3);
    conn.socket.destroy();
  });

  test('a stalled request body times out with 408, the handler sees an error, the connection closes', async () => {
    bodyErrors.length = 0;
    const conn = open(port);
    conn.socket.write('POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc');
    await within(conn.closed, TIMEOUT_MS * 5, 'close');
    const [res] = parseResponses(conn.buf);
    assert.equal(res.status, 408);
    assert.equal(res.headers.connection, 'close');
    assert.equal(bodyErrors.length, 1);
  });

  for (const [name, tail, status] of [
    ['a body timeout', 'Content-Length: 10\r\n\r\nabc', 408],
    ['a framing error in the body', 'Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n', 400],
  ]) {
    test(`after ${name} the server's ${status} is the only response, whatever the handler does`, async () => {
      lateAnswers.length = 0;
      const conn = open(port);
      conn.socket.write(`POST /answer-anyway HTTP/1.1\r\nHost: a\r\n${tail}`);
      await within(conn.closed, TIMEOUT_MS * 5, 'close');
      for (let i = 0; i < 50 && lateAnswers.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(lateAnswers, ['ended without error']);
      const responses = parseResponses(conn.buf);
      assert.deepEqual(responses.map((r) => r.status), [status]);
    });
  }

  test('a body that stalls after a slow handler caught up with it still times out', async () => {
    bodyErrors.length = 0;
    const conn = open(port);
    // More than the body stream buffers, so reading pauses until the handler starts reading.
    conn.socket.write(`POST /slow-consumer HTTP/1.1\r\nHost: a\r\nContent-Length: ${BIG_RESPONSE}\r\n\r\n${'x'.repeat(100_000)}`);
    await within(conn.closed, TIMEOUT_MS * 10, 'close');
    assert.equal(parseResponses(conn.buf)[0].status, 408);
    assert.equal(bodyErrors.length, 1);
  });

  test('a body that timed out before the handler read it fails to read, instead of reading as empty', async () => {
    const conn = open(port);
    conn.socket.write('POST /late-read HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc');
    await within(conn.closed, TIMEOUT_MS * 5, 'close');
    assert.equal(parseResponses(conn.buf)[0].status, 408);
    for (let i = 0; i < 100 && lateReads.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(lateReads, ['failed: Request body timed out']);
  });

  test('a client that disconnects mid-body before the handler reads it: the late read fails, nothing crashes', async () => {
    lateReads.length = 0;
    const conn = open(port);
    conn.socket.write('POST /late-read HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc');
    await new Promise((r) => setTimeout(r, 50));
    conn.socket.destroy();
    for (let i = 0; i < 100 && lateReads.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(lateReads.length, 1);
    assert.match(lateReads[0], /^failed: /);
  });

  test('with Expect: 100-continue the body deadline starts only when 100 Continue is sent', async () => {
    const conn = open(port);
    conn.socket.write('POST /slow-to-read HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n');
    for (let i = 0; i < 100 && !conn.buf.includes('\r\n\r\n'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(conn.buf.toString('latin1'), 'HTTP/1.1 100 Continue\r\n\r\n', 'the client waited for 100 Continue');
    conn.socket.write('abc');
    await within(conn.closed, TIMEOUT_MS * 5, 'close');
    const [interim, res] = parseResponses(conn.buf);
    assert.equal(interim.status, 100);
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), '3');
  });

  test('a slow but steady body is not cut off', async () => {
    const conn = open(port);
    conn.socket.write('POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nConnection: close\r\n\r\n');
    for (const c of 'abcdef') {
      await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS / 3));
      conn.socket.write(c);
    }
    await within(conn.closed, TIMEOUT_MS * 5, 'close');
    const [res] = parseResponses(conn.buf);
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), '6');
  });
});

describe('connection cap', () => {
  const CAP = 4;
  let server;
  let port;
  before(async () => {
    server = createServer((_req, res) => res.end('ok'), { maxConnections: CAP });
    [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => server.close(100));

  async function settle(count) {
    for (let i = 0; i < 100 && server.connectionCount !== count; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.connectionCount, count);
  }

  async function openFds() {
    return (await readdir('/proc/self/fd')).length;
  }

  test('connections beyond maxConnections get 503 and are closed; capacity comes back', async () => {
    await settle(0);
    const held = Array.from({ length: CAP }, () => open(port));
    await Promise.all(held.map((c) => c.connected));
    await settle(CAP);

    const extra = open(port);
    extra.socket.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await within(extra.closed, 2000, 'shed connection closed');
    const [res] = parseResponses(extra.buf);
    assert.equal(res.status, 503);
    assert.equal(res.headers.connection, 'close');
    assert.equal(server.connectionCount, CAP);

    held[0].socket.destroy();
    await settle(CAP - 1);
    const next = open(port);
    next.socket.write('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    await within(next.closed, 2000, 'served connection closed');
    assert.equal(parseResponses(next.buf)[0].status, 200);
    for (const c of held) c.socket.destroy();
    extra.socket.destroy();
  });

  test('shed connections release their sockets once the client goes away', async () => {
    await settle(0);
    const held = Array.from({ length: CAP }, () => open(port));
    await Promise.all(held.map((c) => c.connected));
    await settle(CAP);
    const baseline = await openFds();
    const shed = Array.from({ length: 30 }, () => open(port));
    for (const c of shed) c.socket.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    await within(Promise.all(shed.map((c) => c.closed)), 3000, 'all shed');
    for (const c of shed) {
      assert.equal(parseResponses(c.buf)[0].status, 503);
      c.socket.end();
    }
    // Client and server ends both live in this process: every shed pair must be gone.
    let fds = await openFds();
    for (let i = 0; i < 20 && fds > baseline; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      fds = await openFds();
    }
    assert.ok(fds <= baseline, `open descriptors: ${fds}, before shedding: ${baseline}`);
    for (const c of held) c.socket.destroy();
  });
});

describe('output backpressure', () => {
  const RESPONSE_BYTES = 64 * 1024;
  const REQUESTS = 400;
  let server;
  let port;
  let handled = 0;
  before(async () => {
    server = createServer((req, res) => {
      handled++;
      res.end(Buffer.alloc(RESPONSE_BYTES, req.path.charCodeAt(1)));
    });
    [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => server.close(100));

  test('pipelined requests wait while the client does not read its responses', async () => {
    const conn = open(port);
    await conn.connected;
    conn.socket.pause();
    let wire = '';
    for (let i = 0; i < REQUESTS; i++) wire += `GET /${String.fromCharCode(97 + (i % 26))} HTTP/1.1\r\nHost: a\r\n\r\n`;
    conn.socket.write(`${wire}GET /z HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Only what fits in the socket buffers may be produced: not all 400 x 64 KiB in memory.
    assert.ok(handled < REQUESTS / 2, `${handled} responses produced for a client that reads nothing`);
    conn.socket.resume();
    await within(conn.closed, 10_000, 'all responses');
    const responses = parseResponses(conn.buf);
    assert.equal(responses.length, REQUESTS + 1);
    responses.slice(0, REQUESTS).forEach((res, i) => {
      assert.equal(res.body.length, RESPONSE_BYTES);
      assert.equal(res.body[0], 97 + (i % 26), `response ${i} in order`);
    });
  });
});

describe('slow readers', () => {
  // Longer than the others: the kernel hands a slow reader's progress back in steps of a few
  // hundred milliseconds, and each deadline check must be able to see one.
  const SLOW_TIMEOUT_MS = 1000;
  let server;
  let port;
  before(async () => {
    const router = new Router().get('/big', (_req, res) => res.end(Buffer.alloc(BIG_RESPONSE, 0x62)));
    server = createServer(router.handle, { headersTimeoutMs: SLOW_TIMEOUT_MS, keepAliveTimeoutMs: SLOW_TIMEOUT_MS });
    [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => server.close(100));

  test('a large response to a slow reader is cut off neither by the idle timeout nor by the closing linger', async () => {
    /** Reads about 5 MB/s, so the response takes several times the timeouts to arrive. */
    const slowRead = async (close, pipeline = false) => {
      const socket = net.connect(port, '127.0.0.1');
      let received = 0;
      let sincePause = 0;
      let tail = '';
      socket.on('data', (d) => {
        received += d.length;
        tail = (tail + d.toString('latin1')).slice(-200);
        sincePause += d.length;
        if (sincePause >= 512 * 1024) {
          sincePause = 0;
          socket.pause();
          setTimeout(() => socket.resume(), 100);
        }
      });
      socket.write(`GET /big HTTP/1.1\r\nHost: a\r\n${close ? 'Connection: close\r\n' : ''}\r\n`);
      // A request pipelined behind the big response waits for it, and is not timed out meanwhile.
      if (pipeline) socket.write('GET /big-done HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
      await within(new Promise((resolve) => socket.on('close', resolve)), 15_000, 'response');
      if (pipeline) assert.match(tail, /HTTP\/1\.1 404 Not Found\r\n/, 'the pipelined request was answered');
      return received;
    };
    // A client that never reads: the server must still give up on it.
    const stalled = net.connect(port, '127.0.0.1');
    stalled.on('error', () => {});
    stalled.pause();
    stalled.write('GET /big HTTP/1.1\r\nHost: a\r\n\r\n');
    const [kept, closed, pipelined] = await Promise.all([slowRead(false), slowRead(true), slowRead(false, true)]);
    assert.ok(pipelined > BIG_RESPONSE, `pipelined: ${pipelined} bytes`);
    assert.ok(kept > BIG_RESPONSE, `keep-alive: ${kept} bytes`);
    assert.ok(closed > BIG_RESPONSE, `Connection: close: ${closed} bytes`);
    for (let i = 0; i < 250 && server.connectionCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.connectionCount, 0, 'the non-reading client was dropped');
    stalled.destroy();
  });

});
