// The chunked body decoder (src/protocol/chunked-decoder.ts) through the parser: runs of small
// chunks come out as few Data events whose bytes stay valid, with the same events and verdicts
// as chunk-by-chunk decoding whatever the split.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ParseEvent, RequestParser } from '../../dist/protocol/index.js';
import { parseEvents } from './parse-events.mjs';

const HEAD = 'POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n';
const chunk = (data, ext = '') => `${data.length.toString(16)}${ext}\r\n${data}\r\n`;
const oneByteChunks = (text) => [...text].map((c) => chunk(c)).join('');
const letters = (n) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');

describe('runs of small chunks', () => {
  test('10,000 one-byte chunks in one feed come out in a few Data events', () => {
    const body = letters(10_000);
    const { events, dataEvents } = parseEvents([`${HEAD}${oneByteChunks(body)}0\r\n\r\n`]);
    assert.equal(events.length, 3);
    assert.equal(events[1].data, body);
    assert.deepEqual(events[2], { end: true });
    assert.ok(dataEvents <= 2, `${dataEvents} Data events`);
  });

  test('pieces handed out stay intact while later runs are decoded (slabs are never rewritten)', () => {
    const body = letters(300_000); // several 64 KiB slabs
    const parser = new RequestParser({ maxBodyBytes: 1 << 20 });
    const wire = Buffer.from(`${HEAD}${oneByteChunks(body)}0\r\n\r\n`, 'latin1');
    const kept = [];
    for (let at = 0; at < wire.length; at += 65536) {
      parser.feed(wire.subarray(at, at + 65536));
      for (let e = parser.next(); e !== ParseEvent.NeedData; e = parser.next()) {
        assert.notEqual(e, ParseEvent.Error, parser.error?.message);
        if (e === ParseEvent.Data) kept.push(parser.chunk); // kept as handed out, not copied
      }
    }
    assert.equal(Buffer.concat(kept).toString('latin1'), body);
    assert.ok(kept.length < 100, `${kept.length} Data events for 300,000 chunks`);
  });

  test('fed buffers are never modified', () => {
    const wire = Buffer.from(`${HEAD}${oneByteChunks('hello')}${chunk('x'.repeat(2000))}0\r\n\r\n`, 'latin1');
    const copy = Buffer.from(wire);
    parseEvents([wire]);
    assert.deepEqual(wire, copy);
  });

  test('large chunks are still views of the fed bytes', () => {
    const wire = Buffer.from(`${HEAD}${chunk('y'.repeat(5000))}${chunk('z'.repeat(5000))}0\r\n\r\n`, 'latin1');
    const parser = new RequestParser();
    parser.feed(wire);
    assert.equal(parser.next(), ParseEvent.Head);
    assert.equal(parser.next(), ParseEvent.Data);
    assert.equal(parser.chunk.buffer, wire.buffer);
    assert.equal(parser.chunk.length, 5000);
  });
});

describe('same events and verdicts as chunk by chunk, whatever the split', () => {
  const sizes = [1, 1, 2, 3, 16, 1, 1023, 1024, 1025, 1, 1, 4000, 7, 1];
  const mixed = sizes.map((n, i) => chunk(letters(n + i).slice(i), i % 5 === 3 ? ';e=1' : '')).join('');
  const expectedBody = sizes.map((n, i) => letters(n + i).slice(i)).join('');

  const assertSplits = (message, check) => {
    const whole = parseEvents([message]).events;
    check(whole);
    for (let i = 1; i < message.length; i += message.length > 3000 ? 13 : 1) {
      assert.deepEqual(parseEvents([message.slice(0, i), message.slice(i)]).events, whole, `split at ${i}`);
    }
    const pieces = message.match(/[^]{1,7}/g);
    assert.deepEqual(parseEvents(pieces).events, whole, '7-byte pieces');
  };

  test('chunks of mixed sizes, with and without extensions', () => {
    assertSplits(`${HEAD}${mixed}0\r\nX-T: 1\r\n\r\n`, (events) => {
      assert.equal(events[1].data, expectedBody);
      assert.deepEqual(events.at(-1), { end: true });
    });
  });

  test('a malformed chunk after a run: the run is delivered, then 400', () => {
    // The data of a chunk whose size line was valid is delivered before its missing CRLF is seen.
    const cases = [['Z\r\nq\r\n', ''], ['1\r\nqX', 'q'], ['1\r\nq\n', 'q'], ['1\nq\r\n', ''],
      [`${'0'.repeat(5000)}1\r\nq\r\n`, ''], ['1;\r\nq\r\n', '']];
    for (const [bad, delivered] of cases) {
      assertSplits(`${HEAD}${oneByteChunks('abcdef')}${bad}0\r\n\r\n`, (events) => {
        assert.equal(events[1].data, `abcdef${delivered}`, JSON.stringify(bad));
        assert.equal(events.at(-1).error, 400, JSON.stringify(bad));
      });
    }
  });

  test('the body limit falls inside a run: the bytes up to it, then 413', () => {
    const limits = { maxBodyBytes: 5 };
    const message = `${HEAD}${oneByteChunks('abcdefgh')}0\r\n\r\n`;
    const whole = parseEvents([message], limits).events;
    assert.equal(whole[1].data, 'abcde');
    assert.equal(whole.at(-1).error, 413);
    for (let i = 1; i < message.length; i++) {
      assert.deepEqual(parseEvents([message.slice(0, i), message.slice(i)], limits).events, whole, `split at ${i}`);
    }
  });

  test('pipelined requests after a run of small chunks', () => {
    const second = 'GET /next HTTP/1.1\r\nHost: a\r\n\r\n';
    assertSplits(`${HEAD}${oneByteChunks('xyz')}0\r\n\r\n${second}`, (events) => {
      assert.equal(events[1].data, 'xyz');
      assert.equal(events[3].head.path, '/next');
    });
  });
});
