// serve({ overrideGlobalObjects: true }) makes the global Response a light one: it must still
// behave as a Response wherever it is used, and what a handler changes on it must be sent.
// (This file runs in its own process, so the replaced global stays here.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serve } from '../../dist/index.js';

const NativeResponse = globalThis.Response;
let server;
let origin;
const ready = new Promise((resolve) => {
  server = serve(
    {
      port: 0,
      hostname: '127.0.0.1',
      overrideGlobalObjects: true,
      fetch: (request) => {
        const path = new URL(request.url).pathname;
        if (path === '/json') return Response.json({ a: 1 }, { status: 201 });
        if (path === '/touched') {
          const response = new Response('changed later', { headers: { 'x-one': '1' } });
          response.headers.set('x-two', '2');
          return response;
        }
        if (path === '/stream') return new Response(new Blob(['from a stream']).stream(), { status: 203, headers: new Headers({ 'content-length': '13', 'x-s': 's' }) });
        if (path === '/array') return new Response(new Uint8Array([104, 105]), { headers: [['content-type', 'application/x-hi']] });
        return new Response('light', { status: 202, headers: { 'content-type': 'text/x-light', 'set-cookie': 'k=v' } });
      },
    },
    ({ port }) => resolve(`http://127.0.0.1:${port}`),
  );
});

test('the replaced global behaves as a Response', async () => {
  origin = await ready;
  assert.notEqual(globalThis.Response, NativeResponse);
  const light = new Response('text', { status: 404 });
  assert.ok(light instanceof Response);
  assert.ok(light instanceof NativeResponse);
  assert.ok(new NativeResponse('x') instanceof Response);
  assert.equal(light.status, 404);
  assert.equal(light.ok, false);
  assert.equal(await light.text(), 'text');
  assert.equal(light.headers.get('content-type'), 'text/plain;charset=UTF-8');
  assert.equal(await new Response(new Blob(['blob'])).text(), 'blob');
  const stream = new Blob(['streamed']).stream();
  const held = new Response(stream, { status: 201 });
  assert.equal(held.body, stream);
  assert.equal(await held.text(), 'streamed');
  assert.throws(() => new Response(stream), TypeError, 'a locked stream is refused as by the platform');
});

test('light responses are sent as built, and changes made through headers are kept', async () => {
  origin = await ready;
  const plain = await fetch(`${origin}/`);
  assert.equal(plain.status, 202);
  assert.equal(plain.headers.get('content-type'), 'text/x-light');
  assert.deepEqual(plain.headers.getSetCookie(), ['k=v']);
  assert.equal(await plain.text(), 'light');
  const json = await fetch(`${origin}/json`);
  assert.equal(json.status, 201);
  assert.deepEqual(await json.json(), { a: 1 });
  const touched = await fetch(`${origin}/touched`);
  assert.equal(touched.headers.get('x-one'), '1');
  assert.equal(touched.headers.get('x-two'), '2');
  assert.equal(await touched.text(), 'changed later');
  const array = await fetch(`${origin}/array`);
  assert.equal(array.headers.get('content-type'), 'application/x-hi');
  assert.equal(await array.text(), 'hi');
  const streamed = await fetch(`${origin}/stream`);
  assert.equal(streamed.status, 203);
  assert.equal(streamed.headers.get('x-s'), 's');
  assert.equal(streamed.headers.get('content-length'), '13');
  assert.equal(await streamed.text(), 'from a stream');
  await server.close(100);
});
