// How a handler's error becomes a response: an HttpError (or BodyTooLargeError, one kind of it)
// answers its own status and message; anything else answers 500 without a word of its message,
// whatever fields it carries, and reaches onError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BodyTooLargeError, HttpError, Router, createServer } from '../../dist/index.js';
import { exchange, parseResponses } from '../helpers.mjs';

const SECRET = '/srv/private/config.json';

/** Serves `router`, sends each of `requests` on its own connection; returns what came back and what onError saw. */
async function serve(router, requests) {
  const reported = [];
  const server = createServer(router.handle, { onError: (error) => reported.push(error) });
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const responses = [];
    let wire = '';
    for (const request of requests) {
      const { raw } = await exchange(port, request);
      wire += raw.toString('latin1');
      responses.push(...parseResponses(raw));
    }
    return { responses, wire, reported };
  } finally {
    await server.close(100);
  }
}

const get = (path) => `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;

test('an HttpError answers its status and message, and is not reported as a failure', async () => {
  const router = new Router().get('/teapot', () => {
    throw new HttpError(418, 'short and stout');
  });
  const { responses, reported } = await serve(router, [get('/teapot')]);
  assert.equal(responses[0].status, 418);
  assert.equal(responses[0].body.toString(), 'short and stout\n');
  assert.deepEqual(reported, []);
});

test('an error that merely has a status answers 500 and does not leak its message', async () => {
  const router = new Router()
    .get('/plain', () => {
      throw Object.assign(new Error(`cannot open ${SECRET}`), { status: 403 });
    })
    .get('/object', () => {
      // Not an Error at all: a rejected promise with a status-shaped object.
      return Promise.reject({ status: 404, message: `missing ${SECRET}` });
    });
  const { responses, wire, reported } = await serve(router, [get('/plain'), get('/object')]);
  assert.equal(responses.length, 2);
  for (const response of responses) {
    assert.equal(response.status, 500);
    assert.equal(response.body.toString(), 'Internal Server Error\n');
  }
  assert.ok(!wire.includes('config.json'), 'the message stays on the server');
  assert.equal(reported.length, 2, 'both reach onError');
  assert.match(reported[0].message, /cannot open/);
});

test('BodyTooLargeError is an HttpError: an unhandled one answers 413', async () => {
  assert.ok(new BodyTooLargeError(10) instanceof HttpError);
  const router = new Router().post('/upload', async (req, res) => {
    await req.bytes(4);
    res.end('stored');
  });
  const { responses } = await serve(router, [
    'POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789',
  ]);
  assert.equal(responses[0].status, 413);
  assert.equal(responses[0].body.toString(), 'Request body exceeds 4 bytes\n');
});

test('HttpError refuses a status that is not an error status', () => {
  for (const status of [200, 302, 399, 600, 404.5, Number.NaN]) {
    assert.throws(() => new HttpError(status, 'x'), RangeError, String(status));
  }
  assert.equal(new HttpError(599, 'x').status, 599);
});
