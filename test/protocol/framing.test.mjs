// The framing rules (src/protocol/framing.ts) and the request-target checks, driven through
// the parser without sockets. The same cases over TCP, with what justifies each, are in
// test/conformance-cases.mjs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lastEventWhateverTheSplit, parseEvents } from './parse-events.mjs';

const get = (target, headers = ['Host: a']) => `GET ${target} HTTP/1.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
const post = (headers, body = '') => `POST /p HTTP/1.1\r\nHost: a\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;
const verdict = (message, limits) => lastEventWhateverTheSplit(message, limits);
const accepted = (message, limits) => assert.deepEqual(verdict(message, limits), { end: true });
const refused = (message, status, limits) => assert.equal(verdict(message, limits).error, status, JSON.stringify(message));

describe('Content-Length (L1–L4)', () => {
  test('canonical decimal values frame the body', () => {
    accepted(post(['Content-Length: 0']));
    accepted(post(['Content-Length: 5'], 'hello'));
    accepted(post(['Content-Length: 10'], '0123456789'));
  });

  test('leading zeros are refused with 400', () => {
    refused(post(['Content-Length: 005'], 'hello'), 400);
    refused(post(['Content-Length: 00']), 400);
    refused(post(['Content-Length: 01'], 'x'), 400);
  });

  test('a value beyond 2^53-1 is 400; a representable one above the limit stays 413', () => {
    refused(post([`Content-Length: ${'9'.repeat(20)}`]), 400);
    refused(post(['Content-Length: 9007199254740992']), 400);
    refused(post(['Content-Length: 9007199254740991']), 413);
    refused(post(['Content-Length: 11'], 'x'), 413, { maxBodyBytes: 10 });
  });
});

describe('Host (H1–H3)', () => {
  test('an empty host is refused, with or without a port, in 1.1 and 1.0', () => {
    refused(get('/', ['Host:']), 400);
    refused(get('/', ['Host:   ']), 400);
    refused(get('/', ['Host: :8080']), 400);
    refused('GET / HTTP/1.0\r\nHost:\r\n\r\n', 400);
  });

  test('a valid Host repeated on a connection is still accepted', () => {
    accepted(get('/a', ['Host: h:1']) + get('/b', ['Host: h:1']));
  });

  test('an empty Host after a valid one on the same connection is refused', () => {
    const events = verdict(get('/a', ['Host: h']) + get('/b', ['Host:']));
    assert.equal(events.error, 400);
  });
});

describe('singleton and look-alike fields (S1, S2)', () => {
  test('two Content-Type fields are refused, one is fine', () => {
    refused(post(['Content-Type: a/b', 'Content-Type: c/d']), 400);
    refused(post(['Content-Type: a/b', 'content-type: a/b']), 400);
    accepted(post(['Content-Type: a/b']));
  });

  test('names that become a framing field when "_" is read as "-" are refused', () => {
    for (const name of ['Content_Length', 'content_length', 'Transfer_Encoding', 'TRANSFER_ENCODING', 'Content_Type']) {
      refused(post([`${name}: 5`]), 400);
    }
    refused(post(['Content-Length: 0', 'Content_Length: 5'], 'hello'), 400);
  });

  test('other names with "_" pass, and reach the handler as sent', () => {
    const { events } = parseEvents([get('/', ['Host: a', 'X_Trace_Id: 1', 'Content_Lengths: 2'])]);
    assert.deepEqual(events[0].head.fields, ['host', 'a', 'x_trace_id', '1', 'content_lengths', '2']);
    assert.deepEqual(events[1], { end: true });
  });
});

describe('request-target path checks', () => {
  test('backslash anywhere in the path is refused, in origin and absolute form', () => {
    refused(get('/a\\b'), 400);
    refused(get('\\'), 400);
    refused(get('/..\\..\\etc/passwd'), 400);
    refused(get('http://a/x\\y'), 400);
  });

  test('encoded NUL, CR and LF in the path are refused in any case', () => {
    for (const escape of ['%00', '%0d', '%0D', '%0a', '%0A']) {
      refused(get(`/a${escape}b`), 400);
      refused(get(`/${escape}`), 400);
      refused(get(`http://a/x${escape}`), 400);
    }
  });

  test('other escapes, and any escape in the query, are left alone', () => {
    accepted(get('/a%09%0b%0F%20%5C%2e'));
    accepted(get('/a?x=%00%0d%0A'));
    accepted(get('/a?x=\\'));
    accepted(get('/%'));
    accepted(get('/%0'));
  });
});

describe('request line over the limit: 414 for a long target, 400 for a long method', () => {
  const limits = { maxRequestLineBytes: 40 };

  test('a long target with a short method is 414', () => {
    refused(get(`/${'a'.repeat(40)}`), 414, limits);
    refused(`GET /${'a'.repeat(60)}`, 414, limits);
  });

  test('a method filling half the limit is 400, complete or not', () => {
    refused(get('/', []).replace('GET', 'M'.repeat(40)), 400, limits);
    refused(`${'M'.repeat(21)} /${'a'.repeat(30)} HTTP/1.1\r\n\r\n`, 400, limits);
    refused('M'.repeat(60), 400, limits);
  });

  test('a long line that does not start with a token and a space is 400', () => {
    refused(`@${'a'.repeat(60)}`, 400, limits);
    refused(` GET /${'a'.repeat(60)}`, 400, limits);
  });

  test('with the default limit, a long method is 400 and a long target 414', () => {
    refused(`${'X'.repeat(9000)} / HTTP/1.1\r\nHost: a\r\n\r\n`, 400);
    refused(`GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: a\r\n\r\n`, 414);
  });
});
