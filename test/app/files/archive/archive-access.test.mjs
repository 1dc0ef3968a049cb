// The access-rule hook of folder archives: only what the requester may read goes in.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createApp } from '../../../../dist/app/index.js';
import { createServer } from '../../../../dist/index.js';
import { pythonZipList, run } from './archive-helpers.mjs';

const root = mkdtempSync(path.join(os.tmpdir(), 'wirehttp-archive-access-'));
let server;
let port;
const asked = [];

before(async () => {
  mkdirSync(path.join(root, 'pub', 'private', 'deeper'), { recursive: true });
  writeFileSync(path.join(root, 'pub', 'readme.txt'), 'public\n');
  writeFileSync(path.join(root, 'pub', 'server.key'), 'secret\n');
  writeFileSync(path.join(root, 'pub', 'private', 'deeper', 'plan.txt'), 'private\n');
  const app = await createApp({
    directory: root,
    // Keys only for admins; the private folder for no one.
    readable: (req, name, kind) => {
      asked.push(`${kind}:${name}`);
      if (name === 'pub/private') return false;
      return !name.endsWith('.key') || req.header('x-role') === 'admin';
    },
  });
  server = createServer(app.handle);
  [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

function download(headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/files/pub/?download=zip', headers, agent: false }, (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => {
          const file = path.join(root, `.out-${asked.length}.zip`);
          writeFileSync(file, Buffer.concat(parts));
          resolve(file);
        });
      })
      .on('error', reject);
  });
}

test('entries the hook refuses stay out; a refused folder is not entered', async () => {
  const file = await download();
  assert.match(run('unzip', ['-tq', file]), /No errors detected/);
  assert.deepEqual(pythonZipList(file).map((e) => e.name), ['readme.txt']);
  assert.ok(asked.includes('folder:pub/private'));
  assert.ok(!asked.some((entry) => entry.includes('deeper')), 'nothing below a refused folder is asked about');
  assert.ok(asked.includes('file:pub/server.key'));
});

test('the hook sees the request: an admin gets the key too', async () => {
  const file = await download({ 'X-Role': 'admin' });
  assert.deepEqual(pythonZipList(file).map((e) => e.name).sort(), ['readme.txt', 'server.key']);
});
