// Deciding a file's response from request and file facts, without a server or a disk.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideFileResponse, isPlainRequest, mayEncode, plainHeaders } from '../../../dist/app/files/file-response.js';
import { isCompressible } from '../../../dist/app/files/content-coding.js';

function fakeRequest(method, headers = {}) {
  return { method, header: (name) => headers[name] };
}

const TEXT = {
  type: 'text/plain; charset=utf-8',
  size: 4096,
  etag: '"abc-2000-xyz"',
  mtimeMs: Date.UTC(2026, 0, 2, 3, 4, 5),
  lastModified: 'Fri, 02 Jan 2026 03:04:05 GMT',
};
const IMAGE = { ...TEXT, type: 'image/png' };
const SMALL_TEXT = { ...TEXT, size: 100 };

function headers(decision) {
  return Object.fromEntries(decision.headers.map(([name, value]) => [name.toLowerCase(), value]));
}

describe('decideFileResponse', () => {
  test('a plain GET is the whole file with every file header, in the cache path and the disk path alike', () => {
    const decision = decideFileResponse(fakeRequest('GET'), TEXT, null);
    assert.equal(decision.status, 200);
    assert.deepEqual(decision.body, { kind: 'whole' });
    assert.deepEqual(headers(decision), {
      'content-type': TEXT.type,
      etag: TEXT.etag,
      'last-modified': TEXT.lastModified,
      'cache-control': 'no-cache',
      'accept-ranges': 'bytes',
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
    });
  });

  test('a matching If-None-Match is 304 with the validators and no body; If-Match mismatch is 412', () => {
    const notModified = decideFileResponse(fakeRequest('GET', { 'if-none-match': TEXT.etag }), TEXT, null);
    assert.equal(notModified.status, 304);
    assert.deepEqual(notModified.body, { kind: 'none' });
    assert.equal(headers(notModified).etag, TEXT.etag);
    assert.equal(decideFileResponse(fakeRequest('GET', { 'if-match': '"other"' }), TEXT, null).status, 412);
  });

  test('one range is 206 with Content-Range and its length; several are multipart', () => {
    const one = decideFileResponse(fakeRequest('GET', { range: 'bytes=10-19' }), TEXT, null);
    assert.equal(one.status, 206);
    assert.deepEqual(one.body, { kind: 'range', range: { start: 10, end: 19 } });
    assert.equal(headers(one)['content-range'], 'bytes 10-19/4096');
    assert.equal(headers(one)['content-length'], 10);
    const many = decideFileResponse(fakeRequest('GET', { range: 'bytes=0-0,100-109' }), TEXT, null);
    assert.equal(many.status, 206);
    assert.equal(many.body.kind, 'multipart');
    assert.match(headers(many)['content-type'], /^multipart\/byteranges; boundary=/);
    assert.equal(headers(many)['content-length'], many.body.layout.length);
  });

  test('an unsatisfiable range is 416 with the size; preconditions come first', () => {
    const decision = decideFileResponse(fakeRequest('GET', { range: 'bytes=5000-' }), TEXT, null);
    assert.equal(decision.status, 416);
    assert.equal(headers(decision)['content-range'], 'bytes */4096');
    assert.deepEqual(decision.body, { kind: 'text', text: 'Range Not Satisfiable\n' });
    const cached = decideFileResponse(fakeRequest('GET', { range: 'bytes=5000-', 'if-none-match': TEXT.etag }), TEXT, null);
    assert.equal(cached.status, 304);
  });

  test('a failed If-Range sends the whole file', () => {
    const decision = decideFileResponse(fakeRequest('GET', { range: 'bytes=0-1', 'if-range': '"old"' }), IMAGE, null);
    assert.equal(decision.status, 200);
    assert.deepEqual(decision.body, { kind: 'whole' });
  });

  test('text is compressed on the fly with a weak tag; small text, images and ranges are not', () => {
    const gzip = decideFileResponse(fakeRequest('GET', { 'accept-encoding': 'gzip' }), TEXT, null);
    assert.deepEqual(gzip.body, { kind: 'compressed', coding: 'gzip' });
    assert.equal(headers(gzip)['content-encoding'], 'gzip');
    assert.equal(headers(gzip).etag, 'W/"abc-2000-xyz-gzip"');
    assert.equal(headers(gzip)['content-length'], undefined);
    for (const [file, extra] of [[SMALL_TEXT, {}], [IMAGE, {}], [TEXT, { range: 'bytes=0-9' }]]) {
      const decision = decideFileResponse(fakeRequest('GET', { 'accept-encoding': 'gzip', ...extra }), file, null);
      assert.equal(headers(decision)['content-encoding'], undefined);
    }
  });

  test('a stored compressed copy is preferred, with its own length and tag', () => {
    const copy = { coding: 'br', size: 700, etag: '"def-700-xyz"' };
    const decision = decideFileResponse(fakeRequest('GET', { 'accept-encoding': 'br, gzip' }), TEXT, copy);
    assert.deepEqual(decision.body, { kind: 'stored', copy });
    assert.equal(headers(decision)['content-encoding'], 'br');
    assert.equal(headers(decision)['content-length'], 700);
    assert.equal(headers(decision).etag, 'W/"def-700-xyz-br"');
    const match = decideFileResponse(fakeRequest('GET', { 'accept-encoding': 'br', 'if-none-match': 'W/"def-700-xyz-br"' }), TEXT, copy);
    assert.equal(match.status, 304);
  });
});

test('mayEncode: only whole, compressible files for clients naming a coding', () => {
  assert.equal(mayEncode(fakeRequest('GET', { 'accept-encoding': 'gzip' }), TEXT), true);
  assert.equal(mayEncode(fakeRequest('GET', { 'accept-encoding': 'gzip' }), SMALL_TEXT), true);
  assert.equal(mayEncode(fakeRequest('GET', {}), TEXT), false);
  assert.equal(mayEncode(fakeRequest('GET', { 'accept-encoding': '' }), TEXT), false);
  assert.equal(mayEncode(fakeRequest('GET', { 'accept-encoding': 'gzip' }), IMAGE), false);
  assert.equal(mayEncode(fakeRequest('GET', { 'accept-encoding': 'gzip', range: 'bytes=0-1' }), TEXT), false);
});

describe('isPlainRequest: the cache answers these from a precomputed head, which must be the decided one', () => {
  const plain = [
    ['nothing', TEXT, {}],
    ['an empty Accept-Encoding', TEXT, { 'accept-encoding': '' }],
    ['a coding for a type that does not compress', IMAGE, { 'accept-encoding': 'gzip, br' }],
    ['If-Range without Range', IMAGE, { 'if-range': '"old"' }],
  ];
  for (const [what, file, headers] of plain) {
    test(`plain: ${what}`, () => {
      for (const method of ['GET', 'HEAD']) {
        const req = fakeRequest(method, headers);
        assert.equal(isPlainRequest(req, isCompressible(file.type)), true);
        // The disk path looks for a stored copy only when mayEncode says a coding could apply.
        assert.equal(mayEncode(req, file), false);
        assert.deepEqual(decideFileResponse(req, file, null), { status: 200, headers: plainHeaders(file), body: { kind: 'whole' } });
      }
    });
  }
  const other = [
    ['a coding for a type that compresses', TEXT, { 'accept-encoding': 'gzip' }],
    ['Range', IMAGE, { range: 'bytes=0-1' }],
    ['If-None-Match', IMAGE, { 'if-none-match': IMAGE.etag }],
    ['If-Modified-Since', IMAGE, { 'if-modified-since': IMAGE.lastModified }],
    ['If-Match', IMAGE, { 'if-match': '"other"' }],
    ['If-Unmodified-Since', IMAGE, { 'if-unmodified-since': 'Thu, 01 Jan 2026 00:00:00 GMT' }],
  ];
  for (const [what, file, headers] of other) {
    test(`not plain: ${what}`, () => {
      const req = fakeRequest('GET', headers);
      assert.equal(isPlainRequest(req, isCompressible(file.type)), false);
      assert.notDeepEqual(decideFileResponse(req, file, null), { status: 200, headers: plainHeaders(file), body: { kind: 'whole' } });
    });
  }
});
