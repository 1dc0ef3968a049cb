// Upgrade requests (RFC 9110 §7.8): the head says when a client asks to switch protocols, and
// the parser hands over whatever followed the head untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseEvent, RequestParser } from '../../dist/protocol/index.js';

function headOf(text) {
  const parser = new RequestParser();
  parser.feed(Buffer.from(text, 'latin1'));
  assert.equal(parser.next(), ParseEvent.Head);
  return { head: parser.head, parser };
}

test('Connection: upgrade with an Upgrade field in HTTP/1.1 is an upgrade', () => {
  assert.equal(headOf('GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n').head.upgrade, true);
  assert.equal(headOf('GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, upgrade\r\nUpgrade: h2c\r\n\r\n').head.upgrade, true);
});

test('either half alone, or HTTP/1.0, is not', () => {
  assert.equal(headOf('GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n').head.upgrade, false);
  assert.equal(headOf('GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n').head.upgrade, false);
  assert.equal(headOf('GET / HTTP/1.0\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n').head.upgrade, false);
});

test('takeBuffered returns the bytes after the head, whatever they are', () => {
  const { parser } = headOf('GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n\x81\x05hello\x00\xff');
  parser.feed(Buffer.from('more'));
  assert.deepEqual(parser.takeBuffered(), Buffer.from('\x81\x05hello\x00\xffmore', 'latin1'));
  assert.equal(parser.buffered, 0);
});
