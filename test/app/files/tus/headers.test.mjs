// tus header parsing: each rule as a table of raw values and the outcome.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkPatchType,
  checkTusResumable,
  parseCreationLength,
  parseUploadChecksum,
  parseUploadLength,
  parseUploadMetadata,
  parseUploadOffset,
} from '../../../../dist/app/files/tus/headers.js';

/** Runs `fn` and returns the HttpError status it threw, or 'ok' with the value. */
function outcome(fn) {
  try {
    return { ok: fn() };
  } catch (error) {
    if (error.name !== 'HttpError') throw error;
    return { status: error.status };
  }
}

test('Tus-Resumable: only 1.0.0, else 412', () => {
  assert.deepEqual(outcome(() => checkTusResumable('1.0.0')), { ok: undefined });
  for (const bad of [undefined, '0.2.2', '1.0', '1.0.0, 0.2.2', '']) assert.deepEqual(outcome(() => checkTusResumable(bad)), { status: 412 }, String(bad));
});

test('Upload-Offset: non-negative decimal integers only', () => {
  const cases = [
    ['0', { ok: 0 }],
    ['1048576', { ok: 1048576 }],
    [' 7 ', { ok: 7 }],
    [undefined, { status: 400 }],
    ['-1', { status: 400 }],
    ['1.5', { status: 400 }],
    ['0x10', { status: 400 }],
    ['', { status: 400 }],
    ['99999999999999999', { status: 400 }],
    ['9007199254740993', { status: 400 }],
  ];
  for (const [raw, expected] of cases) assert.deepEqual(outcome(() => parseUploadOffset(raw)), expected, String(raw));
});

test('creation length: Upload-Length xor Upload-Defer-Length: 1', () => {
  const cases = [
    [['10', undefined], { ok: 10 }],
    [[undefined, '1'], { ok: null }],
    [['10', '1'], { status: 400 }],
    [[undefined, '0'], { status: 400 }],
    [[undefined, undefined], { status: 400 }],
    [['ten', undefined], { status: 400 }],
  ];
  for (const [[length, defer], expected] of cases) {
    assert.deepEqual(outcome(() => parseCreationLength(length, defer)), expected, `${length}/${defer}`);
  }
  assert.deepEqual(outcome(() => parseUploadLength(undefined)), { ok: null });
  assert.deepEqual(outcome(() => parseUploadLength('5')), { ok: 5 });
  assert.deepEqual(outcome(() => parseUploadLength('-5')), { status: 400 });
});

test('Upload-Metadata: base64 pairs, keys unique, values optional, UTF-8 text', () => {
  const b64 = (text) => Buffer.from(text).toString('base64');
  const parsed = parseUploadMetadata(`filename ${b64('résumé 📄.pdf')},filetype ${b64('application/pdf')},is_confidential`);
  assert.deepEqual([...parsed], [
    ['filename', 'résumé 📄.pdf'],
    ['filetype', 'application/pdf'],
    ['is_confidential', null],
  ]);
  assert.equal(parseUploadMetadata(undefined).size, 0);
  assert.equal(parseUploadMetadata('').size, 0);
  for (const bad of ['filename not*base64', `a ${b64('x')},a ${b64('y')}`, `a ${b64('x')} extra`, ' ,', 'k YQ', `k ${Buffer.from([0xff, 0xfe]).toString('base64')}`]) {
    assert.deepEqual(outcome(() => parseUploadMetadata(bad)), { status: 400 }, bad);
  }
});

test('Upload-Checksum: sha1 (and sha256, md5) with a base64 digest; others 400', () => {
  const digest = Buffer.alloc(20, 7);
  const parsed = parseUploadChecksum(`sha1 ${digest.toString('base64')}`);
  assert.equal(parsed.algorithm, 'sha1');
  assert.ok(parsed.digest.equals(digest));
  assert.equal(parseUploadChecksum(undefined), null);
  assert.equal(parseUploadChecksum(`SHA256 ${digest.toString('base64')}`).algorithm, 'sha256');
  for (const bad of ['crc32 AAAA', 'sha1', 'sha1 !!!!', `sha1 ${digest.toString('base64')} more`]) {
    assert.deepEqual(outcome(() => parseUploadChecksum(bad)), { status: 400 }, bad);
  }
});

test('PATCH Content-Type must be application/offset+octet-stream', () => {
  assert.deepEqual(outcome(() => checkPatchType('application/offset+octet-stream')), { ok: undefined });
  assert.deepEqual(outcome(() => checkPatchType('Application/Offset+Octet-Stream; charset=x')), { ok: undefined });
  for (const bad of [undefined, 'application/octet-stream', 'text/plain']) assert.deepEqual(outcome(() => checkPatchType(bad)), { status: 415 }, String(bad));
});
