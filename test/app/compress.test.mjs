// compress(handler): the built-in routes' content coding for a library user's responses,
// whole or streamed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createServer, Router } from '../../dist/index.js';
import { compress } from '../../dist/app/compress.js';
import { exchange, parseResponses } from '../helpers.mjs';

const TEXT = 'a fairly compressible line of text\n'.repeat(200);

const router = new Router()
  .get('/whole', (_req, res) => {
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('ETag', '"v1"');
    res.end(TEXT);
  })
  .get('/small', (_req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end('tiny');
  })
  .get('/image', (_req, res) => {
    res.setHeader('Content-Type', 'image/png');
    res.end(Buffer.alloc(5000, 1));
  })
  .get('/stream', async (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    await res.send(Readable.from((function* () {
      // Random hex compresses to about half: the output outgrows what is held back for a Content-Length.
      for (let i = 0; i < 4000; i++) yield `{"row":${i},"hex":"${randomBytes(32).toString('hex')}"},\n`;
    })()));
  })
  .get('/encoded', (_req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.setHeader('Content-Encoding', 'identity');
    res.end(TEXT);
  });

async function withServer(run) {
  const server = createServer(compress(router.handle));
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    await run(port);
  } finally {
    await server.close(100);
  }
}

async function get(port, path, acceptEncoding) {
  const extra = acceptEncoding === undefined ? '' : `Accept-Encoding: ${acceptEncoding}\r\n`;
  const { raw } = await exchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}Connection: close\r\n\r\n`, { idleMs: 1000 });
  return parseResponses(raw)[0];
}

test('a whole text body is compressed with the best accepted coding, with a Content-Length', async () => {
  await withServer(async (port) => {
    const gzip = await get(port, '/whole', 'gzip');
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.equal(gzip.headers['vary'], 'Accept-Encoding');
    assert.equal(gzip.headers['etag'], 'W/"v1"');
    assert.equal(Number(gzip.headers['content-length']), gzip.body.length);
    assert.ok(gzip.body.length < TEXT.length / 5);
    assert.equal(gunzipSync(gzip.body).toString(), TEXT);
    const br = await get(port, '/whole', 'gzip;q=0.5, br');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(br.body).toString(), TEXT);
  });
});

test('identity when the client accepts no coding; Vary all the same', async () => {
  await withServer(async (port) => {
    for (const accept of [undefined, 'identity', 'gzip;q=0']) {
      const res = await get(port, '/whole', accept);
      assert.equal(res.headers['content-encoding'], undefined, String(accept));
      assert.equal(res.headers['vary'], 'Accept-Encoding');
      assert.equal(res.headers['etag'], '"v1"');
      assert.equal(res.body.toString(), TEXT);
    }
  });
});

test('small bodies, images and already-encoded responses are left alone', async () => {
  await withServer(async (port) => {
    const small = await get(port, '/small', 'gzip');
    assert.equal(small.headers['content-encoding'], undefined);
    assert.equal(small.body.toString(), 'tiny');
    const image = await get(port, '/image', 'gzip');
    assert.equal(image.headers['content-encoding'], undefined);
    assert.equal(image.headers['vary'], undefined);
    assert.equal(image.body.length, 5000);
    const encoded = await get(port, '/encoded', 'gzip');
    assert.equal(encoded.headers['content-encoding'], 'identity');
    assert.equal(encoded.body.toString(), TEXT);
  });
});

test('a streamed body is compressed while streaming (chunked)', async () => {
  await withServer(async (port) => {
    const res = await get(port, '/stream', 'gzip');
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    const text = gunzipSync(res.body).toString();
    assert.equal(text.split('\n').length, 4001);
    assert.ok(text.startsWith('{"row":0,'));
  });
});

test('a compressed stream waits for a client that does not read', async () => {
  let produced = 0;
  const slow = new Router().get('/', async (_req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    for (let i = 0; i < 4000 && !res.closed; i++) {
      produced++;
      // Random bytes as hex: compression cannot shrink the stream away.
      if (!res.write(randomBytes(32 * 1024).toString('hex'))) await res.drain();
    }
    res.end();
  });
  const server = createServer(compress(slow.handle));
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  const socket = net.connect(port, '127.0.0.1');
  try {
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // 4000 pieces are 250 MiB of text; socket and zlib buffers hold a few MiB of it.
    assert.ok(produced < 400, `${produced} pieces produced for a client that read nothing`);
  } finally {
    socket.destroy();
    await server.close(100);
  }
});

test('an unknown coding in the options is refused at once', () => {
  assert.throws(() => compress(router.handle, { codings: ['lzma'] }), /unsupported coding "lzma"/);
});
