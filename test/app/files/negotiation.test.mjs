// Content negotiation, without a server: Accept-Encoding, compressible types, the listing's JSON form.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCompressible, negotiateEncoding } from '../../../dist/app/files/content-coding.js';
import { wantsJson } from '../../../dist/app/files/listing.js';

const SUPPORTED = ['br', 'gzip'];

test('no or empty Accept-Encoding means identity', () => {
  assert.equal(negotiateEncoding(undefined, SUPPORTED), null);
  assert.equal(negotiateEncoding('', SUPPORTED), null);
});

test('the highest q wins; ties go to the server order', () => {
  assert.equal(negotiateEncoding('gzip, br', SUPPORTED), 'br');
  assert.equal(negotiateEncoding('gzip;q=1, br;q=0.5', SUPPORTED), 'gzip');
  assert.equal(negotiateEncoding('GZIP', SUPPORTED), 'gzip');
  assert.equal(negotiateEncoding('deflate', SUPPORTED), null);
});

test('q=0 refuses a coding; * covers the ones not named', () => {
  assert.equal(negotiateEncoding('br;q=0, gzip', SUPPORTED), 'gzip');
  assert.equal(negotiateEncoding('*', SUPPORTED), 'br');
  assert.equal(negotiateEncoding('*;q=0.5, br;q=0', SUPPORTED), 'gzip');
  assert.equal(negotiateEncoding('*;q=0', SUPPORTED), null);
});

test('identity preferred over every coding means none; a bad q counts as 0', () => {
  assert.equal(negotiateEncoding('identity;q=1, gzip;q=0.5', SUPPORTED), null);
  assert.equal(negotiateEncoding('gzip;q=2', SUPPORTED), null);
  assert.equal(negotiateEncoding('gzip;q=0.1234', SUPPORTED), null);
});

test('text-like types compress; images, archives and binaries do not', () => {
  for (const type of ['text/plain; charset=utf-8', 'application/json', 'application/ld+json', 'image/svg+xml']) {
    assert.ok(isCompressible(type), type);
  }
  for (const type of ['image/png', 'application/zip', 'application/octet-stream', 'video/mp4']) {
    assert.equal(isCompressible(type), false, type);
  }
});

test('a listing is JSON only when JSON is asked for ahead of (or without) HTML', () => {
  assert.equal(wantsJson(undefined), false);
  assert.equal(wantsJson('application/json'), true);
  assert.equal(wantsJson('application/json, text/html'), true);
  assert.equal(wantsJson('text/html,application/xhtml+xml,application/json;q=0.9'), false);
  assert.equal(wantsJson('*/*'), false);
});
