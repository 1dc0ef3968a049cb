// The page's rename and move: POST of application/x-wirehttp-move+json to the name to move.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startCli } from '../../helpers.mjs';

const MOVE = 'application/x-wirehttp-move+json';
let dir;
let server;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-move-'));
  server = await startCli(['--directory', dir, '--quiet']);
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

function move(name, body, type = MOVE) {
  return fetch(`http://127.0.0.1:${server.port}/files/${name}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

test('renames a file, moves it into a new folder, and moves a folder with its content', async () => {
  await writeFile(path.join(dir, 'a.txt'), 'a');
  let res = await move('a.txt', { to: '/files/b%20b.txt' });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('location'), '/files/b%20b.txt');
  assert.equal(await readFile(path.join(dir, 'b b.txt'), 'utf8'), 'a');
  await assert.rejects(stat(path.join(dir, 'a.txt')), { code: 'ENOENT' });
  res = await move('b%20b.txt', { to: '/files/new/deeper/c.txt' });
  assert.equal(res.status, 201);
  assert.equal(await readFile(path.join(dir, 'new/deeper/c.txt'), 'utf8'), 'a');
  res = await move('new/', { to: '/files/renamed/' });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('location'), '/files/renamed/');
  assert.equal(await readFile(path.join(dir, 'renamed/deeper/c.txt'), 'utf8'), 'a');
});

test('never replaces, never escapes, never moves a folder into itself', async () => {
  await mkdir(path.join(dir, 'box'));
  await writeFile(path.join(dir, 'x.txt'), 'x');
  await writeFile(path.join(dir, 'y.txt'), 'y');
  assert.equal((await move('x.txt', { to: '/files/y.txt' })).status, 412);
  assert.equal(await readFile(path.join(dir, 'y.txt'), 'utf8'), 'y');
  assert.equal((await move('box/', { to: '/files/box/inner' })).status, 409);
  for (const to of ['/files/../escape.txt', '/files/%2e%2e/escape.txt', '/etc/x', '/files/', '/files/.wirehttp/x']) {
    const status = (await move('x.txt', { to })).status;
    assert.ok(status === 400 || status === 404, `${to}: ${status}`);
  }
  assert.equal((await move('x.txt', 'not json')).status, 400);
  assert.equal((await move('missing.txt', { to: '/files/z.txt' })).status, 404);
  assert.equal((await move('', { to: '/files/z' })).status, 403);
  assert.equal(await readFile(path.join(dir, 'x.txt'), 'utf8'), 'x');
});

test('a POST of JSON with another media type is stored byte for byte, not taken as a move', async () => {
  const body = JSON.stringify({ to: '/files/elsewhere.txt' });
  const res = await move('data.json', body, 'application/json');
  assert.equal(res.status, 201);
  assert.equal(await readFile(path.join(dir, 'data.json'), 'utf8'), body);
});
