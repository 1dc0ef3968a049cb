// The same Hono app answered by @hono/node-server and by wirehttp's serve({ fetch }), with the
// platform's Response and with the light one (overrideGlobalObjects): every route must give
// the same status, body, content type, location and cookies.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listeningPort } from '../helpers.mjs';
import { checksum } from './fixtures/hono-app.mjs';

const servers = {};

async function start(name, script, ...args) {
  const proc = spawn(process.execPath, [fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url)), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const startup = listeningPort(proc);
  servers[name] = { proc, port: await startup.port, stderr: startup.stderr };
}

before(async () => {
  await Promise.all([
    start('node', 'hono-node-server.mjs'),
    start('wire', 'hono-wirehttp.mjs'),
    start('light', 'hono-wirehttp.mjs', 'light'),
  ]);
});

after(() => {
  for (const { proc } of Object.values(servers)) proc.kill('SIGKILL');
});

/** The parts of an answer that must agree. */
async function answer(name, path, init = {}) {
  const response = await fetch(`http://127.0.0.1:${servers[name].port}${path}`, { redirect: 'manual', ...init });
  const body = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    location: response.headers.get('location'),
    cookies: response.headers.getSetCookie(),
    body: body.toString('base64'),
  };
}

/** Asks every server; asserts wirehttp's answers agree with @hono/node-server's and returns one. */
async function same(path, makeInit = () => ({})) {
  const expected = await answer('node', path, makeInit());
  for (const name of ['wire', 'light']) {
    const actual = await answer(name, path, makeInit());
    assert.deepEqual(actual, expected, `${name}: ${makeInit().method ?? 'GET'} ${path}`);
  }
  return expected;
}

const text = (a) => Buffer.from(a.body, 'base64').toString();

test('params and query', async () => {
  const a = await same('/users/42?sort=asc&tag=x&tag=y%20z');
  assert.deepEqual(JSON.parse(text(a)), { id: '42', sort: 'asc', tags: ['x', 'y z'] });
});

test('JSON body', async () => {
  const a = await same('/json', () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":[1,2,{"b":"ü"}]}' }));
  assert.equal(a.status, 201);
  assert.deepEqual(JSON.parse(text(a)), { got: { a: [1, 2, { b: 'ü' }] } });
});

test('form body', async () => {
  const a = await same('/form', () => ({ method: 'POST', body: new URLSearchParams({ name: 'Ada', city: 'Zürich' }) }));
  assert.deepEqual(JSON.parse(text(a)), { name: 'Ada', city: 'Zürich' });
});

test('multipart with a file', async () => {
  const content = Buffer.alloc(100_000, 'abc');
  const a = await same('/upload', () => {
    const form = new FormData();
    form.append('title', 'report');
    form.append('file', new Blob([content], { type: 'text/plain' }), 'r.txt');
    return { method: 'POST', body: form };
  });
  assert.deepEqual(JSON.parse(text(a)), { title: 'report', name: 'r.txt', type: 'text/plain', size: 100_000, sum: checksum(content) });
});

test('a 5 MiB body', async () => {
  const big = Buffer.alloc(5 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
  const a = await same('/size', () => ({ method: 'POST', body: big }));
  assert.equal(text(a), `${big.length} ${checksum(big)}`);
});

test('several Set-Cookie fields', async () => {
  const a = await same('/cookies');
  assert.equal(a.cookies.length, 3);
});

test('streaming response', async () => {
  const a = await same('/stream');
  assert.equal(text(a), 'part 0\npart 1\npart 2\npart 3\npart 4\n');
});

test('redirect', async () => {
  const a = await same('/redirect');
  assert.equal(a.status, 301);
  assert.equal(a.location, '/users/7');
});

test('onError and notFound', async () => {
  assert.equal((await same('/error')).status, 500);
  assert.equal(text(await same('/error')), 'handled: boom');
  assert.equal((await same('/nowhere')).status, 404);
});

test('HEAD answers the headers of GET without a body', async () => {
  const a = await same('/text', () => ({ method: 'HEAD' }));
  assert.equal(a.status, 200);
  assert.equal(a.body, '');
});

test('a static file: whole, a range of it, its HEAD', async () => {
  const whole = await same('/static/hono-app.mjs');
  assert.equal(whole.status, 200);
  assert.match(text(whole), /export function makeApp/);
  const range = await same('/static/hono-app.mjs', () => ({ headers: { range: 'bytes=10-29' } }));
  assert.equal(range.status, 206);
  assert.equal(text(range), text(whole).slice(10, 30));
  const head = await same('/static/hono-app.mjs', () => ({ method: 'HEAD' }));
  assert.equal(head.body, '');
  assert.equal((await same('/static/missing.txt')).status, 404);
});

test('binary body', async () => {
  const a = await same('/binary');
  assert.equal(Buffer.from(a.body, 'base64').length, 256);
  assert.equal(a.contentType, 'application/octet-stream');
});

test('the request signal aborts when the client disconnects', async () => {
  for (const name of ['node', 'wire', 'light']) {
    const socket = net.connect(servers[name].port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /wait/${name} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    let seen = false;
    for (let i = 0; i < 50 && !seen; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = JSON.parse(text(await answer(name, `/aborted/${name}`))).aborted;
    }
    assert.equal(seen, true, `${name}: signal aborted after the client left`);
  }
});
