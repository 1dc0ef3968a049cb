// Validators and conditional requests (RFC 9110 §13), without a server.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codedTag, entityTag, evaluatePreconditions, ifRangeHolds, lastModified } from '../../../dist/app/files/validators.js';

/** A request as the pure functions see it: a method and lower-case header lookup. */
function fakeRequest(method, headers = {}) {
  return { method, header: (name) => headers[name] };
}

const MTIME = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const stats = { ino: 1234, size: 42, mtimeMs: MTIME, mtime: new Date(MTIME) };
const etag = entityTag(stats);
const current = { etag, mtimeMs: MTIME };
const modified = lastModified(stats); // whole seconds
const before = new Date(MTIME - 60_000).toUTCString();
const after = new Date(MTIME + 60_000).toUTCString();

test('entity tags: strong from inode, size and mtime; a coded variant is weak and distinct', () => {
  assert.match(etag, /^"[0-9a-z]+-[0-9a-z]+-[0-9a-z]+"$/);
  assert.notEqual(entityTag({ ...stats, size: 43 }), etag);
  assert.equal(codedTag(etag, 'gzip'), `W/${etag.slice(0, -1)}-gzip"`);
  assert.equal(modified, 'Fri, 02 Jan 2026 03:04:05 GMT');
});

describe('evaluatePreconditions', () => {
  const cases = [
    ['no conditions', 'GET', {}, 'proceed'],
    ['If-Match matches', 'PUT', { 'if-match': etag }, 'proceed'],
    ['If-Match in a list', 'PUT', { 'if-match': `"x", ${etag}` }, 'proceed'],
    ['If-Match other', 'PUT', { 'if-match': '"x"' }, 'failed'],
    ['If-Match weak never matches strongly', 'PUT', { 'if-match': `W/${etag}` }, 'failed'],
    ['If-Match *', 'DELETE', { 'if-match': '*' }, 'proceed'],
    ['If-Unmodified-Since before', 'PUT', { 'if-unmodified-since': before }, 'failed'],
    ['If-Unmodified-Since same second', 'PUT', { 'if-unmodified-since': modified }, 'proceed'],
    ['If-Unmodified-Since ignored under If-Match', 'PUT', { 'if-match': etag, 'if-unmodified-since': before }, 'proceed'],
    ['If-None-Match matches on GET', 'GET', { 'if-none-match': etag }, 'not-modified'],
    ['If-None-Match weakly matches', 'HEAD', { 'if-none-match': `W/${etag}` }, 'not-modified'],
    ['If-None-Match matches on PUT', 'PUT', { 'if-none-match': '*' }, 'failed'],
    ['If-None-Match other', 'GET', { 'if-none-match': '"x"' }, 'proceed'],
    ['If-Modified-Since same second', 'GET', { 'if-modified-since': modified }, 'not-modified'],
    ['If-Modified-Since before', 'GET', { 'if-modified-since': before }, 'proceed'],
    ['If-Modified-Since ignored under If-None-Match', 'GET', { 'if-none-match': '"x"', 'if-modified-since': after }, 'proceed'],
    ['If-Modified-Since not a date', 'GET', { 'if-modified-since': 'yesterday' }, 'proceed'],
  ];
  for (const [name, method, headers, expected] of cases) {
    test(name, () => assert.equal(evaluatePreconditions(fakeRequest(method, headers), current), expected));
  }

  test('nothing at the name: If-Match fails, If-None-Match: * proceeds', () => {
    assert.equal(evaluatePreconditions(fakeRequest('PUT', { 'if-match': '*' }), null), 'failed');
    assert.equal(evaluatePreconditions(fakeRequest('PUT', { 'if-none-match': '*' }), null), 'proceed');
  });
});

test('If-Range holds for the strong tag or the exact date, never for a weak tag', () => {
  assert.ok(ifRangeHolds(fakeRequest('GET'), current));
  assert.ok(ifRangeHolds(fakeRequest('GET', { 'if-range': etag }), current));
  assert.ok(ifRangeHolds(fakeRequest('GET', { 'if-range': modified }), current));
  assert.equal(ifRangeHolds(fakeRequest('GET', { 'if-range': `W/${etag}` }), current), false);
  assert.equal(ifRangeHolds(fakeRequest('GET', { 'if-range': '"other"' }), current), false);
  assert.equal(ifRangeHolds(fakeRequest('GET', { 'if-range': before }), current), false);
  assert.equal(ifRangeHolds(fakeRequest('GET', { 'if-range': etag }), { etag: codedTag(etag, 'br'), mtimeMs: MTIME }), false);
});
