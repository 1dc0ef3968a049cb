// Response.write's onWritten: the writer learns when the socket is done with a chunk, so the
// chunk's memory can be reused (the file server's read buffers depend on it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServer } from '../../dist/index.js';
import { connect } from '../helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** More than the loopback socket buffers of both ends hold, so the write waits for the client. */
const SIZE = 32 * 1024 * 1024;

test('onWritten comes only once the client has taken the chunk, and at once for HEAD', { timeout: 20_000 }, async () => {
  const reports = [];
  const server = createServer((req, res) => {
    res.setHeader('Content-Length', String(SIZE));
    res.write(Buffer.alloc(SIZE, 0x61), () => reports.push(req.method));
    res.end();
  });
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const socket = await connect(port);
    socket.pause();
    socket.write('HEAD /big HTTP/1.1\r\nHost: localhost\r\n\r\nGET /big HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await sleep(300);
    assert.deepEqual(reports, ['HEAD'], 'a chunk the client has not read is not reported written');
    let received = 0;
    socket.on('data', (data) => (received += data.length));
    socket.resume();
    await new Promise((resolve) => socket.once('close', resolve));
    assert.ok(received > SIZE, `received ${received} bytes`);
    assert.deepEqual(reports, ['HEAD', 'GET']);
  } finally {
    await server.close(100);
  }
});
