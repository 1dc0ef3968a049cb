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

test('a write\'s onWritten callback is called whether the body is compressed or not', async () => {
  const calls = [];
  const writer = new Router().get('/:type', async (req, res) => {
    res.setHeader('Content-Type', req.params['type'] === 'text' ? 'text/plain' : 'image/png');
    const piece = (n) => new Promise((resolve) => res.write(Buffer.alloc(3000, 0x61), () => resolve(calls.push(n))));
    // A dropped callback leaves its promise unsettled: the timeout ends the response anyway.
    await Promise.race([Promise.all([piece(1), piece(2)]), new Promise((resolve) => setTimeout(resolve, 2000))]);
    res.end();
  });
  const server = createServer(compress(writer.handle));
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    for (const [type, coding] of [['text', 'gzip'], ['text', undefined], ['image', 'gzip']]) {
      calls.length = 0;
      const res = await get(port, `/${type}`, coding);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], type === 'text' ? coding : undefined);
      const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.body) : res.body;
      assert.equal(body.length, 6000);
      assert.deepEqual(calls.sort(), [1, 2], `${type} with ${coding ?? 'no coding'}`);
    }
  } finally {
    await server.close(100);
  }
});

test('an unknown coding in the options is refused at once', () => {
  assert.throws(() => compress(router.handle, { codings: ['lzma'] }), /unsupported coding "lzma"/);
});

test('HEAD carries the Content-Encoding, Vary, ETag and length GET would, without a body', async () => {
  const headAware = new Router().get('/declared', (req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    if (req.method === 'HEAD') {
      res.setHeader('Content-Length', Buffer.byteLength(TEXT));
      res.end();
    } else {
      res.end(TEXT);
    }
  });
  const server = createServer(compress((req, res) => (req.path === '/declared' ? headAware.handle(req, res) : router.handle(req, res))));
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  const ask = async (method, path, acceptEncoding) => {
    const request = `${method} ${path} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: ${acceptEncoding}\r\nConnection: close\r\n\r\n`;
    const { raw } = await exchange(port, request, { idleMs: 10_000 });
    return parseResponses(raw, { headRequests: method === 'HEAD' ? [0] : [] })[0];
  };
  try {
    // A HEAD answer has no framing of its own (no Transfer-Encoding); a HEAD handler that only
    // declares its length cannot know the compressed one, so it goes without Content-Length.
    const cases = { '/whole': ['content-encoding', 'vary', 'etag', 'content-length'], '/stream': ['content-encoding', 'vary'], '/declared': ['content-encoding', 'vary'] };
    for (const [path, named] of Object.entries(cases)) {
      for (const coding of ['gzip', 'br', 'identity']) {
        const get = await ask('GET', path, coding);
        const head = await ask('HEAD', path, coding);
        assert.equal(head.status, 200);
        for (const name of named) assert.equal(head.headers[name], get.headers[name], `${coding} HEAD ${path}: ${name}`);
        assert.equal(head.headers['content-encoding'], coding === 'identity' ? undefined : coding, `${coding} HEAD ${path}`);
        assert.equal(head.headers.vary, 'Accept-Encoding');
        assert.equal(head.body.length, 0);
      }
    }
    // Nothing follows a HEAD answer on the connection: the next response parses cleanly.
    const { raw } = await exchange(port, 'HEAD /whole HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\nGET /small HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { idleMs: 10_000 });
    const [head, next] = parseResponses(raw, { headRequests: [0] });
    assert.equal(head.headers['content-encoding'], 'gzip');
    assert.equal(next.body.toString(), 'tiny');
  } finally {
    await server.close(100);
  }
});
