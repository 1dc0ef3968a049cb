// "OPTIONS *" asks about the server as a whole (RFC 9110 §9.3.7).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Router, createServer } from '../../dist/index.js';
import { exchange, parseResponses, startCli } from '../helpers.mjs';

const OPTIONS_STAR = 'OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';

async function allowOf(port) {
  const [res] = parseResponses((await exchange(port, OPTIONS_STAR)).raw);
  assert.equal(res.status, 204);
  return res.headers.allow;
}

test('the CLI lists the methods it serves, with and without a directory', async () => {
  const plain = await startCli();
  try {
    assert.equal(await allowOf(plain.port), 'GET, HEAD, OPTIONS');
  } finally {
    await plain.stop();
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wirehttp-options-'));
  const files = await startCli(['--directory', dir]);
  try {
    assert.equal(await allowOf(files.port), 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK');
  } finally {
    await files.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a router route "*" receives OPTIONS *, and without one the request is not found', async () => {
  const withStar = createServer(new Router().options('*', (_req, res) => res.setHeader('Allow', 'GET').end()).handle);
  const without = createServer(new Router().get('/', (_req, res) => res.end()).handle);
  const [{ port: a }] = await withStar.listen({ port: 0, host: '127.0.0.1' });
  const [{ port: b }] = await without.listen({ port: 0, host: '127.0.0.1' });
  try {
    const [one] = parseResponses((await exchange(a, OPTIONS_STAR)).raw);
    assert.equal(one.status, 200);
    assert.equal(one.headers.allow, 'GET');
    const [two] = parseResponses((await exchange(b, OPTIONS_STAR)).raw);
    assert.equal(two.status, 404);
  } finally {
    await withStar.close(100);
    await without.close(100);
  }
});
