// Every program in examples/ starts as documented and answers its first requests.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startCli } from '../helpers.mjs';

const example = (name) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

/** Runs an example with PORT=0 (startCli passes "--port 0", which the examples ignore). */
async function run(name, env = {}, body) {
  const program = await startCli([], { script: example(name), env: { PORT: '0', ...env } });
  try {
    await body(`http://127.0.0.1:${program.port}`);
  } finally {
    await program.stop();
  }
}

test('plain-handler.mjs', async () => {
  await run('plain-handler.mjs', {}, async (origin) => {
    assert.equal(await (await fetch(`${origin}/x?name=Ada`)).text(), 'Hello, Ada! You asked for GET /x\n');
  });
});

test('router-static.mjs', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-example-'));
  await writeFile(path.join(dir, 'index.html'), '<h1>hi</h1>');
  try {
    await run('router-static.mjs', { STATIC_DIR: dir }, async (origin) => {
      assert.ok(typeof (await (await fetch(`${origin}/api/time`)).json()).now === 'string');
      const file = await fetch(`${origin}/static/index.html`);
      assert.equal(await file.text(), '<h1>hi</h1>');
      assert.ok(file.headers.get('etag'));
      assert.equal((await fetch(`${origin}/elsewhere`)).status, 404);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('hono-app.mjs', async () => {
  await run('hono-app.mjs', {}, async (origin) => {
    assert.deepEqual(await (await fetch(`${origin}/hello/Ada`)).json(), { hello: 'Ada' });
    assert.equal(await (await fetch(`${origin}/ip`)).text(), '127.0.0.1');
    const echoed = await fetch(`${origin}/echo`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual(await echoed.json(), { a: 1 });
  });
});

test('ws-chat.mjs', async () => {
  await run('ws-chat.mjs', {}, async (origin) => {
    assert.match(await (await fetch(`${origin}/`)).text(), /new WebSocket/);
    const url = `${origin.replace('http', 'ws')}/chat`;
    const join = () =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const [ada, bob] = await Promise.all([join(), join()]);
    const heard = new Promise((resolve) => bob.once('message', (data) => resolve(data.toString())));
    ada.send('hi bob');
    assert.equal(await heard, 'hi bob');
    ada.close();
    bob.close();
  });
});
