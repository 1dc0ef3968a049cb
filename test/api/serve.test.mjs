// serve({ fetch }): the standard Request a fetch handler receives and every kind of Response
// it may return, answered by the connection layer.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { serve } from '../../dist/index.js';
import { exchange, parseResponses } from '../helpers.mjs';

/** Starts serve() on an ephemeral port; resolves { server, port, errors }. */
function start(fetch, options = {}) {
  const errors = [];
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1', onError: (error) => errors.push(error), ...options }, ({ port }) =>
      resolve({ server, port, errors }),
    );
  });
}

async function withServer(fetch, run, options) {
  const started = await start(fetch, options);
  try {
    return await run(started);
  } finally {
    await started.server.close(100);
  }
}

const get = (port, path, init) => fetch(`http://127.0.0.1:${port}${path}`, init);

test('the handler gets a standard Request: absolute URL, method, headers, info with the peer address', async () => {
  let seen;
  await withServer(
    async (request, info) => {
      seen = {
        isRequest: request instanceof Request,
        url: request.url,
        method: request.method,
        custom: request.headers.get('x-custom'),
        remote: info.remoteAddress,
        body: await request.text(),
      };
      return new Response('ok');
    },
    async ({ port }) => {
      const response = await get(port, '/a/b?c=d', { method: 'PUT', headers: { 'x-custom': 'yes' }, body: 'payload' });
      assert.equal(await response.text(), 'ok');
      assert.deepEqual(seen, {
        isRequest: true,
        url: `http://127.0.0.1:${port}/a/b?c=d`,
        method: 'PUT',
        custom: 'yes',
        remote: '127.0.0.1',
        body: 'payload',
      });
    },
  );
});

test('a real Request is built when needed: body stream, clone, formData', async () => {
  await withServer(
    async (request) => {
      const copy = request.clone();
      const [first, second] = await Promise.all([new Response(request.body).text(), copy.text()]);
      return Response.json({ first, second, cache: request.cache });
    },
    async ({ port }) => {
      const response = await get(port, '/', { method: 'POST', body: 'streamed body' });
      assert.deepEqual(await response.json(), { first: 'streamed body', second: 'streamed body', cache: 'default' });
    },
  );
});

test('every body type of Response is sent whole, with a fitting Content-Length', async () => {
  const bodies = {
    string: () => new Response('héllo'),
    uint8: () => new Response(new Uint8Array([1, 2, 3])),
    arraybuffer: () => new Response(new Uint8Array([4, 5]).buffer),
    blob: () => new Response(new Blob(['blob!'], { type: 'text/x-blob' })),
    params: () => new Response(new URLSearchParams({ a: '1', b: 'two' })),
    form: () => {
      const form = new FormData();
      form.append('field', 'value');
      return new Response(form);
    },
    stream: () =>
      new Response(
        new ReadableStream({
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            controller.enqueue(new TextEncoder().encode('chunk'));
            controller.close();
          },
        }),
      ),
  };
  await withServer(
    (request) => bodies[new URL(request.url).pathname.slice(1)](),
    async ({ port }) => {
      const expected = {
        string: ['héllo', 'text/plain; charset=UTF-8'],
        uint8: ['\x01\x02\x03', 'text/plain; charset=UTF-8'],
        arraybuffer: ['\x04\x05', 'text/plain; charset=UTF-8'],
        blob: ['blob!', 'text/x-blob'],
        params: ['a=1&b=two', 'application/x-www-form-urlencoded;charset=UTF-8'],
        stream: ['chunk', 'text/plain; charset=UTF-8'],
      };
      for (const [name, [body, type]] of Object.entries(expected)) {
        const { raw } = await exchange(port, `GET /${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        const [response] = parseResponses(raw);
        assert.equal(response.status, 200, name);
        assert.equal(response.body.toString(), body, name);
        assert.equal(response.headers['content-type'], type, name);
        if (name === 'stream') assert.equal(response.headers['transfer-encoding'], 'chunked', name);
        else assert.equal(response.headers['content-length'], String(Buffer.byteLength(body)), name);
      }
      const form = await get(port, '/form');
      assert.equal((await form.formData()).get('field'), 'value');
    },
  );
});

test('every Set-Cookie is its own field; HEAD has no body', async () => {
  await withServer(
    () => {
      const headers = new Headers({ 'content-type': 'text/plain' });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2, c=3');
      return new Response('body text', { headers });
    },
    async ({ port }) => {
      const { raw } = await exchange(port, 'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      const text = raw.toString('latin1');
      assert.match(text, /\r\nset-cookie: a=1; Path=\/\r\n/i);
      assert.match(text, /\r\nset-cookie: b=2, c=3\r\n/i);
      assert.ok(text.endsWith('\r\n\r\n'), 'no body after the head');
      assert.match(text, /content-length: 9\r\n/i);
    },
  );
});

test('a thrown error, a rejection and a non-Response answer 500 and are reported', async () => {
  await withServer(
    async (request) => {
      const path = new URL(request.url).pathname;
      if (path === '/throw') throw new Error('thrown');
      if (path === '/reject') return Promise.reject(new Error('rejected'));
      return path === '/object' ? { status: 200 } : 'a string';
    },
    async ({ port, errors }) => {
      for (const path of ['/throw', '/reject', '/object', '/string']) {
        const response = await get(port, path);
        assert.equal(response.status, 500, path);
        assert.equal(await response.text(), 'Internal Server Error\n');
      }
      assert.deepEqual(
        errors.map((error) => error.message),
        [
          'thrown',
          'rejected',
          'The fetch handler returned an object ([object Object]) instead of a Response',
          'The fetch handler returned a string instead of a Response',
        ],
      );
    },
  );
});

test('a streamed response waits for a slow client instead of buffering the stream, and stops it when the client goes', async () => {
  let pulled = 0;
  let cancelled = false;
  const chunk = new Uint8Array(64 * 1024);
  await withServer(
    () =>
      new Response(
        new ReadableStream(
          {
            pull(controller) {
              pulled++;
              if (pulled > 2000) controller.close();
              else controller.enqueue(chunk);
            },
            cancel() {
              cancelled = true;
            },
          },
          { highWaterMark: 0 },
        ),
      ),
    async ({ port }) => {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.pause();
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise((resolve) => setTimeout(resolve, 500));
      // 2000 chunks are 125 MiB; the socket buffers on both sides hold a few MiB at most.
      assert.ok(pulled < 200, `pulled ${pulled} chunks while the client read nothing`);
      socket.destroy();
      for (let waited = 0; !cancelled && waited < 50; waited++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(cancelled, 'the stream was not cancelled after the client went away');
    },
  );
});

test('a request body read slowly through request.body holds the client back instead of piling up', async () => {
  let firstChunk = 0;
  await withServer(
    async (request) => {
      const reader = request.body.getReader();
      firstChunk = (await reader.read()).value.length;
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await reader.cancel();
      return new Response('late');
    },
    async ({ port }) => {
      const size = 64 * 1024 * 1024;
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`);
      socket.write(Buffer.alloc(size));
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.ok(firstChunk > 0);
      // Socket buffers on both sides hold a few MiB; the rest must still wait on the client.
      assert.ok(socket.writableLength > size / 2, `only ${socket.writableLength} bytes still unsent`);
      socket.destroy();
    },
  );
});

test('the request signal aborts when the server gives up on the exchange (body timeout)', async () => {
  let reason;
  await withServer(
    async (request) => {
      await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
      reason = request.signal.reason;
      return new Response('too late');
    },
    async ({ port }) => {
      const { raw } = await exchange(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part', { idleMs: 1500 });
      assert.equal(parseResponses(raw)[0].status, 408);
      assert.match(String(reason?.message), /timed out/);
    },
    { bodyTimeoutMs: 200 },
  );
});

test('HTTPS: the URL says https', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-serve-tls-'));
  try {
    const certFile = path.join(dir, 'cert.pem');
    const keyFile = path.join(dir, 'key.pem');
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '1',
      '-keyout', keyFile, '-out', certFile,
    ]);
    const [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
    await withServer(
      (request) => new Response(request.url),
      async ({ port }) => {
        const body = await new Promise((resolve, reject) => {
          https
            .get({ host: '127.0.0.1', port, path: '/x?y', ca: cert, servername: 'localhost', headers: { host: 'example.test' } }, (res) => {
              let text = '';
              res.on('data', (d) => (text += d));
              res.on('end', () => resolve(text));
            })
            .on('error', reject);
        });
        assert.equal(body, 'https://example.test/x?y');
      },
      { tls: { cert, key } },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a stream body of a declared length: whole, split, longer than declared; each stream read to its end or cancelled', async () => {
  const ended = {};
  const streams = {
    whole: ['abcde'],
    split: ['ab', 'cde'],
    longer: ['abcde', 'fgh', 'ijk'],
  };
  await withServer(
    (request) => {
      const name = new URL(request.url).pathname.slice(1);
      const parts = [...streams[name]];
      const body = new ReadableStream(
        {
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, 2));
            const part = parts.shift();
            if (part === undefined) {
              ended[name] = 'read to its end';
              controller.close();
            } else controller.enqueue(new TextEncoder().encode(part));
          },
          cancel() {
            ended[name] = 'cancelled';
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(body, { headers: { 'content-length': '5' } });
    },
    async ({ port }) => {
      for (const name of Object.keys(streams)) {
        const { raw } = await exchange(port, `GET /${name} HTTP/1.1\r\nHost: x\r\n\r\nGET /${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        const responses = parseResponses(raw);
        assert.equal(responses.length, 2, name);
        for (const response of responses) {
          assert.equal(response.status, 200, name);
          assert.equal(response.headers['content-length'], '5', name);
          assert.equal(response.body.toString(), 'abcde', name);
        }
        for (let waited = 0; ended[name] === undefined && waited < 50; waited++) await new Promise((resolve) => setTimeout(resolve, 10));
        assert.equal(ended[name], name === 'longer' ? 'cancelled' : 'read to its end', name);
      }
    },
  );
});
