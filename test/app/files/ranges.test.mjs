// Range parsing and multipart framing (RFC 9110 §14), without a server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentRange, multipartLayout, parseRange } from '../../../dist/app/files/ranges.js';

test('no header, another unit or bad syntax means the whole representation', () => {
  for (const header of [undefined, 'items=0-1', 'bytes=', 'bytes=a-b', 'bytes=5-1', 'bytes=-', 'bytes 0-1']) {
    assert.equal(parseRange(header, 100), null, String(header));
  }
});

test('first-last, open-ended and suffix ranges are clipped to the size', () => {
  assert.deepEqual(parseRange('bytes=0-9', 100), [{ start: 0, end: 9 }]);
  assert.deepEqual(parseRange('bytes=90-', 100), [{ start: 90, end: 99 }]);
  assert.deepEqual(parseRange('bytes=95-200', 100), [{ start: 95, end: 99 }]);
  assert.deepEqual(parseRange('bytes=-10', 100), [{ start: 90, end: 99 }]);
  assert.deepEqual(parseRange('bytes=-500', 100), [{ start: 0, end: 99 }]);
  assert.deepEqual(parseRange('BYTES = 1-2', 100), [{ start: 1, end: 2 }]);
});

test('nothing satisfiable is an empty list (416)', () => {
  assert.deepEqual(parseRange('bytes=100-', 100), []);
  assert.deepEqual(parseRange('bytes=-0', 100), []);
  assert.deepEqual(parseRange('bytes=0-', 0), []);
});

test('overlapping ranges are merged (with any adjacent ones); disjoint ones keep their order', () => {
  assert.deepEqual(parseRange('bytes=0-10,5-20', 100), [{ start: 0, end: 20 }]);
  assert.deepEqual(parseRange('bytes=20-29,0-9,5-12,13-15', 100), [{ start: 0, end: 15 }, { start: 20, end: 29 }]);
  assert.deepEqual(parseRange('bytes=50-59,0-9,10-19', 100), [{ start: 50, end: 59 }, { start: 0, end: 9 }, { start: 10, end: 19 }]);
});

test('more than 64 range specs are ignored, not served', () => {
  const many = Array.from({ length: 65 }, (_, i) => `${i}-${i}`).join(',');
  assert.equal(parseRange(`bytes=${many}`, 1000), null);
  assert.equal(parseRange(`bytes=${many.split(',').slice(0, 64).join(',')}`, 1000)?.length, 64);
});

test('a multipart layout announces exactly the bytes its parts carry', () => {
  const ranges = [{ start: 0, end: 1 }, { start: 5, end: 9 }];
  const layout = multipartLayout(ranges, 10, 'text/plain');
  const boundary = /boundary=([0-9a-f]+)$/.exec(layout.contentType)?.[1];
  assert.ok(boundary);
  assert.equal(layout.parts.length, 2);
  assert.ok(layout.parts[1].head.includes(`--${boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes 5-9/10\r\n\r\n`));
  assert.equal(layout.tail, `\r\n--${boundary}--\r\n`);
  const heads = layout.parts.reduce((sum, part) => sum + part.head.length, 0);
  assert.equal(layout.length, heads + 2 + 5 + layout.tail.length);
  assert.equal(contentRange({ start: 3, end: 4 }, 10), 'bytes 3-4/10');
});
