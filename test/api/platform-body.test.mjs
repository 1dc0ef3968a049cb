// serve() writes a platform Response built from a string or bytes without reading its stream
// (src/api/fetch/platform-body.ts). Each Response here is also sent through the stream path,
// as `new Response(response.body, response)` (same status and headers, the body as a stream):
// both must put the same bytes on the wire, Date aside.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, test } from 'node:test';
import { serve } from '../../dist/index.js';

const big = new Uint8Array(40_000).fill(7);

/** Responses the fast path takes, by name. */
const CASES = {
  ascii: () => new Response('hello'),
  unicode: () => new Response('héllo \u{1F600} \ud800 lone', { status: 201, headers: { 'x-a': '1' } }),
  bytes: () => new Response(new Uint8Array([0, 1, 2, 255]), { headers: { 'content-type': 'application/octet-stream' } }),
  large: () => new Response(big),
  buffer: () => new Response(new Uint8Array([104, 105, 33]).buffer),
  view: () => new Response(new DataView(new Uint8Array([1, 2, 3, 4, 5]).buffer, 1, 3)),
  empty: () => new Response(''),
  nobody: () => new Response(null, { status: 204, headers: { 'x-b': '2' } }),
  cookies: () => {
    const headers = new Headers({ 'content-type': 'text/html' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; HttpOnly');
    return new Response('<p>cookies</p>', { headers });
  },
  redirect: () => Response.redirect('http://example.com/x', 301),
  json: () => Response.json({ a: [1, 'é'] }, { status: 202 }),
  form: () => new Response(new URLSearchParams('a=1&b=é')),
  sized: () => new Response('sized', { headers: { 'content-length': '5' } }),
  missing: () => new Response('nope', { status: 404, statusText: 'Nope' }),
  blob: () => new Response(new Blob(['blob body'], { type: 'text/x-blob' })),
};

let server;
const ready = new Promise((resolve) => {
  server = serve(
    {
      port: 0,
      hostname: '127.0.0.1',
      onError: () => {},
      fetch: async (request) => {
        const url = new URL(request.url);
        const name = url.pathname.slice(1);
        if (name === 'used') {
          const response = new Response('already read');
          await response.text();
          return response;
        }
        if (name === 'locked') {
          const response = new Response('being read');
          response.body.getReader();
          return response;
        }
        const response = CASES[name]();
        return url.searchParams.has('stream') ? new Response(response.body, response) : response;
      },
    },
    ({ port }) => resolve(port),
  );
});

/** One answer to `method path`, as received (header names, order and bytes), without its Date. */
async function askOne(method, path) {
  const port = await ready;
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const rawHeaders = [];
        for (let i = 0; i < response.rawHeaders.length; i += 2) {
          if (response.rawHeaders[i].toLowerCase() !== 'date') rawHeaders.push([response.rawHeaders[i], response.rawHeaders[i + 1]]);
        }
        resolve({ status: response.statusCode, reason: response.statusMessage, rawHeaders, body: Buffer.concat(chunks).toString('base64') });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

const ask = (method, paths) => Promise.all(paths.map((path) => askOne(method, path)));

test('a string or bytes body is sent as the stream path sends it', async () => {
  const names = Object.keys(CASES);
  const direct = await ask('GET', names.map((name) => `/${name}`));
  const streamed = await ask('GET', names.map((name) => `/${name}?stream`));
  for (const [i, name] of names.entries()) assert.deepEqual(direct[i], streamed[i], name);
  const byName = Object.fromEntries(names.map((name, i) => [name, direct[i]]));
  assert.equal(Buffer.from(byName.unicode.body, 'base64').toString(), 'héllo \u{1F600} \ufffd lone');
  assert.equal(Buffer.from(byName.large.body, 'base64').length, big.length);
  assert.deepEqual(
    byName.cookies.rawHeaders.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value),
    ['a=1; Path=/', 'b=2; HttpOnly'],
  );
  assert.equal(byName.redirect.rawHeaders.find(([name]) => name.toLowerCase() === 'location')?.[1], 'http://example.com/x');
});

test('HEAD gets the same head from both paths, without a body', async () => {
  const names = ['ascii', 'large', 'sized', 'json', 'nobody'];
  const direct = await ask('HEAD', names.map((name) => `/${name}`));
  const streamed = await ask('HEAD', names.map((name) => `/${name}?stream`));
  for (const [i, name] of names.entries()) {
    assert.deepEqual(direct[i], streamed[i], name);
    assert.equal(direct[i].body, '', name);
  }
  assert.deepEqual(direct[0].rawHeaders.find(([name]) => name.toLowerCase() === 'content-length')?.[1], '5');
});

test('a body already read or being read is not sent again from what it was built with', async () => {
  // The stream path cannot read such a body either: a 500, as for any unusable Response.
  const [used, locked] = await ask('GET', ['/used', '/locked']);
  assert.equal(used.status, 500);
  assert.doesNotMatch(Buffer.from(used.body, 'base64').toString(), /already read/);
  assert.equal(locked.status, 500);
  assert.doesNotMatch(Buffer.from(locked.body, 'base64').toString(), /being read/);
});

after(() => server.close(100));
