// RequestParser unit tests (sans-I/O): events must not depend on how the bytes are split,
// plus end-to-end checks that the same holds over real TCP writes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ParseEvent, RequestParser } from '../../dist/protocol/index.js';
import { connect, parseResponses, startCli } from '../helpers.mjs';
import { parseEvents } from './parse-events.mjs';

/** Summary of a head that covers everything the parser decides. */
function headSummary(head) {
  return {
    method: head.method,
    target: head.target,
    form: head.form,
    path: head.path,
    query: head.query,
    versionMinor: head.versionMinor,
    fields: [...head.fields],
    contentLength: head.contentLength,
    chunked: head.chunked,
    keepAlive: head.keepAlive,
    expectContinue: head.expectContinue,
    host: head.host,
  };
}

/**
 * Feeds `pieces` one by one and returns the event list, with consecutive Data events merged
 * into one body (their boundaries legitimately follow the feed boundaries).
 */
function parse(pieces, limits) {
  const parser = new RequestParser(limits);
  const out = [];
  let body = null;
  const flushBody = () => {
    if (body !== null) out.push({ data: Buffer.concat(body).toString('latin1') });
    body = null;
  };
  for (const piece of pieces) {
    parser.feed(Buffer.from(piece, 'latin1'));
    for (let guard = 0; ; guard++) {
      assert.ok(guard < 1_000_000, 'the parser keeps producing events without input');
      const event = parser.next();
      if (event === ParseEvent.NeedData) break;
      if (event === ParseEvent.Data) {
        assert.ok(parser.chunk.length > 0, 'Data events carry bytes');
        (body ??= []).push(Buffer.from(parser.chunk));
        continue;
      }
      flushBody();
      if (event === ParseEvent.Head) out.push({ head: headSummary(parser.head) });
      else if (event === ParseEvent.End) out.push({ end: true });
      else {
        out.push({ error: parser.error.status, message: parser.error.message });
        return out;
      }
    }
  }
  flushBody();
  return out;
}

const bytes = (s) => [...s];

const CL_REQUEST =
  'POST /upload?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test/1.0\r\nContent-Length: 11\r\n\r\nhello world';
const CHUNKED_REQUEST =
  '\r\nPUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n' +
  '5;ext=1;q="a b"\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer-One: x\r\n\r\n';
const TWO_REQUESTS = `${CL_REQUEST}${CHUNKED_REQUEST}GET / HTTP/1.0\r\n\r\n`;

describe('split invariance', () => {
  for (const [name, message] of [
    ['Content-Length request', CL_REQUEST],
    ['chunked request with extensions and trailers', CHUNKED_REQUEST],
    ['three pipelined requests', TWO_REQUESTS],
  ]) {
    test(`${name}: every split point gives identical events`, () => {
      const whole = parse([message]);
      assert.ok(whole.some((e) => e.end), 'the message completes');
      assert.ok(!whole.some((e) => e.error), JSON.stringify(whole));
      for (let i = 1; i < message.length; i++) {
        assert.deepEqual(parse([message.slice(0, i), message.slice(i)]), whole, `split at ${i}`);
      }
    });

    test(`${name}: one byte at a time gives identical events`, () => {
      assert.deepEqual(parse(bytes(message)), parse([message]));
    });
  }

  test('every pair of split points in a chunked request gives identical events', () => {
    const whole = parse([CHUNKED_REQUEST]);
    const n = CHUNKED_REQUEST.length;
    for (let i = 1; i < n; i += 3) {
      for (let j = i + 1; j < n; j += 2) {
        const pieces = [CHUNKED_REQUEST.slice(0, i), CHUNKED_REQUEST.slice(i, j), CHUNKED_REQUEST.slice(j)];
        assert.deepEqual(parse(pieces), whole, `split at ${i} and ${j}`);
      }
    }
  });

  for (const [name, message, status] of [
    ['bare LF in a header', 'GET / HTTP/1.1\r\nHost: a\nX: 1\r\n\r\n', 400],
    ['bad chunk size', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3x\r\nabc\r\n0\r\n\r\n', 400],
    ['missing CRLF after chunk data', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY', 400],
    ['request line too long', `GET /${'a'.repeat(9000)} HTTP/1.1\r\n\r\n`, 414],
    ['too many fields', `GET / HTTP/1.1\r\n${'A: b\r\n'.repeat(101)}\r\n`, 431],
    // A head that arrives whole is parsed before it is scanned: the scan's verdict still comes first.
    ['bad name, then a bare LF', 'GET / HTTP/1.1\r\nBad Name: x\r\nHost: a\nX: 1\r\n\r\n', 400],
    ['bad value, then too many fields', `GET / HTTP/1.1\r\nX: \x01\r\n${'A: b\r\n'.repeat(100)}\r\n`, 431],
    ['bad target, then a line too long', `GET /a b HTTP/1.1\r\nX: ${'a'.repeat(17000)}\r\n\r\n`, 431],
  ]) {
    test(`${name}: the same error (${status}) at every split point`, () => {
      const whole = parse([message]);
      assert.equal(whole.at(-1).error, status, JSON.stringify(whole));
      for (let i = 1; i < message.length; i += message.length > 500 ? 97 : 1) {
        assert.deepEqual(parse([message.slice(0, i), message.slice(i)]), whole, `split at ${i}`);
      }
      assert.deepEqual(parse(bytes(message)), whole);
    });
  }
});

describe('limits at their exact boundaries', () => {
  /** Every 2-way split and the byte-by-byte feed must agree with the whole message. */
  const assertSplitInvariant = (message, limits) => {
    const whole = parse([message], limits);
    for (let i = 1; i < message.length; i++) {
      assert.deepEqual(parse([message.slice(0, i), message.slice(i)], limits), whole, `split at ${i}`);
    }
    assert.deepEqual(parse(bytes(message), limits), whole, 'byte by byte');
    return whole.at(-1);
  };

  test('header section: accepted up to the limit, 431 beyond, whatever the split', () => {
    const limits = { maxHeaderBytes: 20 };
    const head = (n) => `GET / HTTP/1.1\r\nHost: ${'a'.repeat(n)}\r\n\r\n`;
    assert.ok(assertSplitInvariant(head(14), limits).end);
    assert.equal(assertSplitInvariant(head(15), limits).error, 431);
  });

  test('trailer section: accepted up to the limit, 431 beyond, whatever the split', () => {
    const limits = { maxTrailerBytes: 20 };
    const message = (n) => `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: ${'a'.repeat(n)}\r\n\r\n`;
    assert.ok(assertSplitInvariant(message(15), limits).end);
    assert.equal(assertSplitInvariant(message(16), limits).error, 431);
  });

  test('request line: accepted up to the limit, 414 beyond, whatever the split', () => {
    const limits = { maxRequestLineBytes: 24 };
    const message = (n) => `GET /${'a'.repeat(n)} HTTP/1.1\r\nHost: a\r\n\r\n`;
    assert.ok(assertSplitInvariant(message(10), limits).end);
    assert.equal(assertSplitInvariant(message(11), limits).error, 414);
  });

  test('a line both too long and ending in a bare LF fails the same way whatever the split', () => {
    assert.equal(assertSplitInvariant('POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\n\r\n', { maxHeaderBytes: 7 }).error, 431);
    assert.equal(assertSplitInvariant(`GET /${'a'.repeat(30)} HTTP/1.1\n\r\n`, { maxRequestLineBytes: 24 }).error, 414);
  });
});

describe('pipelining', () => {
  test('100 pipelined requests in one buffer come out in order', () => {
    let wire = '';
    const expected = [];
    for (let i = 0; i < 100; i++) {
      if (i % 3 === 0) {
        wire += `GET /r/${i} HTTP/1.1\r\nHost: a\r\n\r\n`;
        expected.push({ path: `/r/${i}`, body: '' });
      } else if (i % 3 === 1) {
        const body = `body-${i}`;
        wire += `POST /r/${i} HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
        expected.push({ path: `/r/${i}`, body });
      } else {
        wire += `POST /r/${i} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n${String(i).padStart(2, '0').slice(-2)}\r\n0\r\n\r\n`;
        expected.push({ path: `/r/${i}`, body: String(i).padStart(2, '0').slice(-2) });
      }
    }
    const events = parse([wire]);
    const seen = [];
    for (const e of events) {
      assert.equal(e.error, undefined);
      if (e.head) seen.push({ path: e.head.path, body: '' });
      if (e.data !== undefined) seen.at(-1).body += e.data;
    }
    assert.deepEqual(seen, expected);
    assert.equal(events.filter((e) => e.end).length, 100);
  });

  test('the parser pauses between requests: next() returns End before the next Head', () => {
    const parser = new RequestParser();
    parser.feed(Buffer.from('GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n'));
    assert.equal(parser.next(), ParseEvent.Head);
    assert.equal(parser.head.path, '/a');
    assert.ok(parser.buffered > 0, 'the second request waits in the buffer');
    assert.equal(parser.next(), ParseEvent.End);
    assert.equal(parser.next(), ParseEvent.Head);
    assert.equal(parser.head.path, '/b');
    assert.equal(parser.next(), ParseEvent.End);
    assert.equal(parser.next(), ParseEvent.NeedData);
    assert.equal(parser.buffered, 0);
  });
});

describe('requests that repeat the previous one in part', () => {
  // A target or value equal to the previous request's is reused: a longer or shorter one,
  // or one followed by other bytes, must still be read for what it is.
  const heads = [
    'GET /a HTTP/1.1\r\nHost: a\r\nX: abc\r\n\r\n',
    'GET /ab HTTP/1.1\r\nHost: a\r\nX: abc  \r\n\r\n',
    'GET /a HTTP/1.1\r\nHost: a\r\nX: abcd\r\n\r\n',
    'GET /a HTTP/1.1\r\nHost: a\r\nY: abcd\r\n\r\n',
    'GET /a HTTP/1.1\r\nHost: a\r\nY: abcd\r\n\r\n',
    'GET /a HTTP/1.1\r\nHost: a\r\n\r\n',
    'GET /a?q HTTP/1.1\r\nHost: a\r\nY: ab\r\n\r\n',
  ];
  const message = heads.join('');

  test('targets and fields are read for what they are, whatever the split', () => {
    const whole = parse([message]);
    assert.deepEqual(
      whole.filter((event) => event.head).map(({ head }) => [head.target, head.fields]),
      [
        ['/a', ['host', 'a', 'x', 'abc']],
        ['/ab', ['host', 'a', 'x', 'abc']],
        ['/a', ['host', 'a', 'x', 'abcd']],
        ['/a', ['host', 'a', 'y', 'abcd']],
        ['/a', ['host', 'a', 'y', 'abcd']],
        ['/a', ['host', 'a']],
        ['/a?q', ['host', 'a', 'y', 'ab']],
      ],
    );
    for (let i = 1; i < message.length; i += 7) {
      assert.deepEqual(parse([message.slice(0, i), message.slice(i)]), whole, `split at ${i}`);
    }
    assert.deepEqual(parse(bytes(message)), whole, 'byte by byte');
  });

  test('a head keeps its fields after the parser has read the next ones', () => {
    const { events } = parseEvents([message]);
    const fields = events.filter((event) => event.head).map(({ head }) => [...head.fields].join(' '));
    assert.deepEqual(fields, ['host a x abc', 'host a x abc', 'host a x abcd', 'host a y abcd', 'host a y abcd', 'host a', 'host a y ab']);
  });

  test('a value that starts like the previous one but holds a bad byte is refused', () => {
    const events = parse(['GET / HTTP/1.1\r\nHost: a\r\nX: abc\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nX: abc\x01\r\n\r\n']);
    assert.deepEqual(events.at(-1), { error: 400, message: 'Invalid character in header value' });
    const target = parse(['GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /a\\ HTTP/1.1\r\nHost: a\r\n\r\n']);
    assert.deepEqual(target.at(-1), { error: 400, message: 'Backslash in request path' });
  });
});

describe('parser details', () => {
  test('head fields: names lower-cased, values trimmed, repeated fields joined', () => {
    const parser = new RequestParser();
    parser.feed(Buffer.from('GET /p?q=1 HTTP/1.1\r\nHost: h:8\r\nX-A:  1 \r\nx-a: 2\r\nConnection: close\r\n\r\n'));
    assert.equal(parser.next(), ParseEvent.Head);
    const head = parser.head;
    assert.deepEqual([head.method, head.path, head.query, head.versionMinor], ['GET', '/p', 'q=1', 1]);
    assert.deepEqual(head.fields, ['host', 'h:8', 'x-a', '1', 'x-a', '2', 'connection', 'close']);
    assert.equal(head.get('X-A'), '1, 2');
    assert.equal(head.host, 'h:8');
    assert.equal(head.keepAlive, false);
    assert.equal(head.hasBody, false);
  });

  test('Data chunks are views of the fed bytes, and fed buffers are never modified', () => {
    const input = Buffer.from('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd');
    const copy = Buffer.from(input);
    const parser = new RequestParser();
    parser.feed(input);
    assert.equal(parser.next(), ParseEvent.Head);
    assert.equal(parser.next(), ParseEvent.Data);
    assert.equal(parser.chunk.toString(), 'abcd');
    assert.equal(parser.chunk.buffer, input.buffer);
    assert.equal(parser.next(), ParseEvent.End);
    assert.deepEqual(input, copy);
  });

  test('after an error the parser stays failed whatever is fed', () => {
    const parser = new RequestParser();
    parser.feed(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n'));
    assert.equal(parser.next(), ParseEvent.Error);
    assert.equal(parser.error.status, 400);
    parser.feed(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
    assert.equal(parser.next(), ParseEvent.Error);
    assert.equal(parser.next(), ParseEvent.Error);
  });

  test('custom limits are enforced', () => {
    const limits = { maxHeaderCount: 2, maxRequestLineBytes: 20, maxBodyBytes: 3, maxHeaderBytes: 40 };
    assert.equal(parse(['GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n'], limits).at(-1).error, 431);
    assert.equal(parse(['GET /123456789 HTTP/1.1\r\nHost: a\r\n\r\n'], limits).at(-1).error, 414);
    assert.equal(parse(['POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd'], limits).at(-1).error, 413);
    assert.equal(parse([`GET / HTTP/1.1\r\nHost: ${'a'.repeat(40)}\r\n\r\n`], limits).at(-1).error, 431);
    assert.ok(parse(['POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc'], limits).at(-1).end);
  });
});

describe('over TCP (real CLI)', () => {
  let server;
  before(async () => {
    server = await startCli();
  });
  after(() => server.stop());

  test('a request sent one byte per TCP write is answered correctly', async () => {
    const socket = await connect(server.port);
    socket.setNoDelay(true);
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    const request = 'GET /echo/one-byte-at-a-time HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';
    for (const c of request) {
      assert.equal(chunks.length, 0, 'no answer before the request is complete');
      socket.write(c);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await closed;
    const [res, ...rest] = parseResponses(Buffer.concat(chunks));
    assert.equal(rest.length, 0);
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'one-byte-at-a-time');
  });

  test('100 requests pipelined in one write are all answered, in order', async () => {
    const socket = await connect(server.port);
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    let wire = '';
    for (let i = 0; i < 100; i++) {
      wire += `GET /echo/req-${i} HTTP/1.1\r\nHost: localhost\r\n${i === 99 ? 'Connection: close\r\n' : ''}\r\n`;
    }
    socket.write(wire);
    await closed;
    const responses = parseResponses(Buffer.concat(chunks));
    assert.equal(responses.length, 100);
    responses.forEach((res, i) => {
      assert.equal(res.status, 200);
      assert.equal(res.body.toString(), `req-${i}`);
    });
  });
});
