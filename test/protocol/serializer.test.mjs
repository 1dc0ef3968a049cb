// Response serialisation: the protocol core's functions, then the framing a handler gets on the wire.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer } from '../../dist/index.js';
import {
  BodyFraming,
  CONTINUE_RESPONSE,
  LAST_CHUNK,
  chunkHeader,
  isFieldValue,
  isToken,
  reasonPhrase,
  serializeErrorResponse,
  serializeResponseHead,
  statusForbidsBody,
  statusLine,
} from '../../dist/protocol/index.js';
import { exchange, parseResponses } from '../helpers.mjs';

const DATE = 'Tue, 24 Nov 2026 02:00:00 GMT';

describe('protocol serialisation', () => {
  test('status lines carry the RFC 9110 reason phrases', () => {
    assert.equal(statusLine(200), 'HTTP/1.1 200 OK\r\n');
    assert.equal(statusLine(413), 'HTTP/1.1 413 Content Too Large\r\n');
    assert.equal(statusLine(431), 'HTTP/1.1 431 Request Header Fields Too Large\r\n');
    assert.equal(statusLine(505), 'HTTP/1.1 505 HTTP Version Not Supported\r\n');
    assert.equal(reasonPhrase(599), 'Server Error');
    assert.equal(reasonPhrase(499), 'Client Error');
  });

  test('a Content-Length head lists headers, then Date and Content-Length', () => {
    const head = serializeResponseHead(201, ['Location', '/f', 'X-A', '1'], DATE, BodyFraming.Length, 12, null);
    assert.equal(head, `HTTP/1.1 201 Created\r\nLocation: /f\r\nX-A: 1\r\nDate: ${DATE}\r\nContent-Length: 12\r\n\r\n`);
  });

  test('a head repeated from the last one is reused only when every input is the same', () => {
    const fields = ['Content-Type', 'text/plain'];
    const first = serializeResponseHead(200, fields, DATE, BodyFraming.Length, 5, null);
    assert.equal(serializeResponseHead(200, ['Content-Type', 'text/plain'], DATE, BodyFraming.Length, 5, null), first);
    fields[1] = 'text/html'; // the caller's array changed after the head was made
    assert.match(serializeResponseHead(200, fields, DATE, BodyFraming.Length, 5, null), /\r\nContent-Type: text\/html\r\n/);
    const variants = [
      [404, fields, DATE, BodyFraming.Length, 5, null, /^HTTP\/1\.1 404 /],
      [200, [...fields, 'Vary', 'Accept'], DATE, BodyFraming.Length, 5, null, /\r\nVary: Accept\r\n/],
      [200, fields, 'Wed, 25 Nov 2026 02:00:00 GMT', BodyFraming.Length, 5, null, /\r\nDate: Wed, 25 Nov/],
      [200, fields, DATE, BodyFraming.Length, 6, null, /\r\nContent-Length: 6\r\n/],
      [200, fields, DATE, BodyFraming.Chunked, 6, null, /\r\nTransfer-Encoding: chunked\r\n/],
      [200, fields, DATE, BodyFraming.Length, 5, 'close', /\r\nConnection: close\r\n/],
      [200, fields, DATE, BodyFraming.Length, 5, 'keep-alive', /\r\nConnection: keep-alive\r\n/],
    ];
    for (const [status, f, date, framing, length, connection, expected] of variants) {
      serializeResponseHead(200, fields, DATE, BodyFraming.Length, 5, null);
      assert.match(serializeResponseHead(status, f, date, framing, length, connection), expected);
    }
  });

  test('chunked, bodiless and close-delimited heads', () => {
    assert.match(serializeResponseHead(200, [], DATE, BodyFraming.Chunked, -1, null), /\r\nTransfer-Encoding: chunked\r\n\r\n$/);
    const none = serializeResponseHead(204, [], DATE, BodyFraming.None, -1, null);
    assert.doesNotMatch(none, /Content-Length|Transfer-Encoding/);
    const close = serializeResponseHead(200, [], DATE, BodyFraming.Close, -1, 'close');
    assert.doesNotMatch(close, /Content-Length|Transfer-Encoding/);
    assert.match(close, /\r\nConnection: close\r\n\r\n$/);
    assert.match(serializeResponseHead(200, [], DATE, BodyFraming.Length, 0, 'keep-alive'), /\r\nConnection: keep-alive\r\n\r\n$/);
  });

  test('chunk framing pieces', () => {
    assert.equal(chunkHeader(1), '1\r\n');
    assert.equal(chunkHeader(255), 'ff\r\n');
    assert.equal(chunkHeader(65536), '10000\r\n');
    assert.equal(LAST_CHUNK.toString('latin1'), '0\r\n\r\n');
    assert.equal(CONTINUE_RESPONSE.toString('latin1'), 'HTTP/1.1 100 Continue\r\n\r\n');
  });

  test('error responses count their body in bytes and close', () => {
    const raw = serializeErrorResponse(400, 'Bad – request', DATE);
    const [res] = parseResponses(raw);
    assert.equal(res.status, 400);
    assert.equal(res.headers.connection, 'close');
    assert.equal(res.headers.date, DATE);
    assert.equal(Number(res.headers['content-length']), Buffer.byteLength('Bad – request\n'));
    assert.equal(res.body.toString('utf8'), 'Bad – request\n');
  });

  test('statuses that forbid a body', () => {
    for (const status of [100, 101, 204, 304]) assert.equal(statusForbidsBody(status), true, String(status));
    for (const status of [200, 201, 205, 400, 404, 500]) assert.equal(statusForbidsBody(status), false, String(status));
  });

  test('header name and value validation rejects what could inject', () => {
    for (const name of ['X-A', 'x_a', "!#$%&'*+-.^_`|~"]) assert.equal(isToken(name), true, name);
    for (const name of ['', 'X A', 'X:A', 'X\r\nA', 'X\u00e9', 'X(']) assert.equal(isToken(name), false, name);
    for (const value of ['', 'a b', 'a\tb', 'caf\u00e9']) assert.equal(isFieldValue(value), true, value);
    for (const value of ['a\r\nX: 1', 'a\nb', 'a\rb', 'a\u0000b', 'a\u007fb', 'a\u0100b']) {
      assert.equal(isFieldValue(value), false, JSON.stringify(value));
    }
  });
});

describe('response framing on the wire', () => {
  let server;
  let port;
  const thrown = {};
  before(async () => {
    server = createServer(async (req, res) => {
      switch (req.path) {
        case '/fixed':
          res.setHeader('X-Kind', 'fixed');
          res.end('héllo');
          return;
        case '/stream':
          res.write('ab');
          res.write(Buffer.from('cd'));
          res.end('e');
          return;
        case '/stream-length':
          res.setHeader('Content-Length', 4);
          res.write('ab');
          res.end('cd');
          return;
        case '/header-api':
          res.setHeader('X-One', 'a');
          res.appendHeader('Set-Cookie', 'a=1');
          res.appendHeader('set-cookie', 'b=2');
          res.setHeader('x-one', 'b'); // replaces, whatever the case
          res.setHeader('X-Gone', 'x');
          res.appendHeader('x-gone', 'y');
          res.removeHeader('X-GONE'); // every line of that name
          res.setHeader('X-Seen', `${res.getHeader('X-ONE')},${res.getHeader('set-cookie')},${String(res.getHeader('x-gone'))}`);
          res.end('ok');
          return;
        case '/no-content':
          res.status = 204;
          res.end();
          return;
        case '/not-modified':
          res.status = 304;
          res.end();
          return;
        case '/inject':
          // A name already set to a valid value is remembered with it: another value is still checked.
          res.setHeader('X-Evil', 'fine');
          for (const [name, value] of [['X-Evil', 'a\r\nX-Injected: 1'], ['X\r\nInjected', 'v'], ['Content-Length', '-1'], ['Transfer-Encoding', 'chunked']]) {
            try {
              res.setHeader(name, value);
              thrown[name] = false;
            } catch (error) {
              thrown[name] = error instanceof TypeError;
            }
          }
          res.end('safe');
          return;
        default:
          res.status = 404;
          res.end();
      }
    });
    [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => server.close(100));

  const request = async (target, { method = 'GET', version = '1.1', headRequests } = {}) => {
    const { raw } = await exchange(port, `${method} ${target} HTTP/${version}\r\nHost: a\r\nConnection: close\r\n\r\n`, {
      idleMs: 2000,
    });
    return parseResponses(raw, { headRequests });
  };

  test('end(body) is framed by Content-Length in bytes', async () => {
    const [res] = await request('/fixed');
    assert.equal(res.headers['content-length'], String(Buffer.byteLength('héllo')));
    assert.equal(res.body.toString('utf8'), 'héllo');
    assert.equal(res.headers['x-kind'], 'fixed');
  });

  test('setHeader replaces, appendHeader adds, removeHeader removes, all by case-insensitive name', async () => {
    const { raw } = await exchange(port, 'GET /header-api HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', { idleMs: 2000 });
    const head = raw.toString('latin1').split('\r\n\r\n')[0];
    assert.match(head, /\r\nX-One: b\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nX-Seen: b,a=1,undefined\r\n/);
    assert.doesNotMatch(head, /x-gone|X-One: a/i);
  });

  test('HEAD gets the headers a GET would, without the body', async () => {
    const { raw } = await exchange(port, 'HEAD /fixed HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', { idleMs: 2000 });
    const text = raw.toString('latin1');
    assert.match(text, /\r\nContent-Length: 6\r\n/);
    assert.ok(text.endsWith('\r\n\r\n'), 'no body after the head');
  });

  test('streaming without a length is chunked for HTTP/1.1', async () => {
    const [res] = await request('/stream');
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.headers['content-length'], undefined);
    assert.equal(res.body.toString(), 'abcde');
  });

  test('streaming without a length is close-delimited for HTTP/1.0', async () => {
    const { raw, closed } = await exchange(port, 'GET /stream HTTP/1.0\r\n\r\n', { idleMs: 2000 });
    const text = raw.toString('latin1');
    assert.doesNotMatch(text, /Transfer-Encoding/i);
    assert.match(text, /\r\nConnection: close\r\n/);
    assert.ok(text.endsWith('\r\n\r\nabcde'));
    assert.equal(closed, true);
  });

  test('streaming with a declared length uses it', async () => {
    const [res] = await request('/stream-length');
    assert.equal(res.headers['content-length'], '4');
    assert.equal(res.headers['transfer-encoding'], undefined);
    assert.equal(res.body.toString(), 'abcd');
  });

  test('204 and 304 carry neither Content-Length nor a body', async () => {
    for (const path of ['/no-content', '/not-modified']) {
      const { raw } = await exchange(port, `GET ${path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`, { idleMs: 2000 });
      const text = raw.toString('latin1');
      assert.doesNotMatch(text, /Content-Length|Transfer-Encoding/i, path);
      assert.ok(text.endsWith('\r\n\r\n'), path);
      assert.match(text, /\r\nDate: /);
    }
  });

  test('header values and names that could inject, and framing headers, are refused', async () => {
    const [res] = await request('/inject');
    assert.equal(res.body.toString(), 'safe');
    assert.equal(res.headers['x-injected'], undefined);
    assert.equal(res.headers['x-evil'], 'fine');
    assert.deepEqual(thrown, { 'X-Evil': true, 'X\r\nInjected': true, 'Content-Length': true, 'Transfer-Encoding': true });
  });
});
