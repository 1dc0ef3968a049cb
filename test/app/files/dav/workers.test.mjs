// WebDAV state with --workers 2, and with two servers on one directory: locks and dead
// properties live in the served directory's metadata area, so every process sees what another
// one did. Each request below goes on a new
// connection, and the cluster hands connections to the workers in turn, so consecutive
// requests reach both.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startCli } from '../../../helpers.mjs';
import { dav, readMultistatus } from './dav-client.mjs';

let dir;
let server;
const req = (...args) => dav(server.port, ...args);

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-dav-workers-'));
  await writeFile(path.join(dir, 'shared.txt'), 'v1');
  server = await startCli(['--directory', dir, '--workers', '2']);
});
after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const LOCKINFO = '<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>';

test('a lock taken through one worker is honoured by the other; so are dead properties', { timeout: 60_000 }, async () => {
  const lock = await req('LOCK', '/files/shared.txt', { headers: { Depth: '0' }, body: LOCKINFO });
  assert.equal(lock.status, 200);
  const token = lock.headers['lock-token'];
  for (let i = 0; i < 6; i++) {
    assert.equal((await req('PUT', '/files/shared.txt', { body: `intruder ${i}` })).status, 423, `request ${i}`);
    assert.equal((await req('LOCK', '/files/shared.txt', { headers: { Depth: '0' }, body: LOCKINFO })).status, 423, `lock ${i}`);
  }
  for (let i = 0; i < 4; i++) {
    assert.equal((await req('PUT', '/files/shared.txt', { headers: { If: `(${token})` }, body: `owner ${i}` })).status, 204);
  }

  const set = await req('PROPPATCH', '/files/shared.txt', {
    headers: { If: `(${token})` },
    body: '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><n xmlns="urn:n">42</n></D:prop></D:set></D:propertyupdate>',
  });
  assert.equal(set.status, 207);
  for (let i = 0; i < 4; i++) {
    const found = await req('PROPFIND', '/files/shared.txt', {
      headers: { Depth: '0' },
      body: '<propfind xmlns="DAV:"><prop><n xmlns="urn:n"/><lockdiscovery/></prop></propfind>',
    });
    const props = (await readMultistatus(found.body))['/files/shared.txt'];
    assert.equal(props['{urn:n}n'].text, '42', `read ${i}`);
    assert.match(props['{DAV:}lockdiscovery'].text, new RegExp(token.slice(1, -1)));
  }

  assert.equal((await req('UNLOCK', '/files/shared.txt', { headers: { 'Lock-Token': token } })).status, 204);
  for (let i = 0; i < 4; i++) {
    assert.equal((await req('PUT', '/files/shared.txt', { body: `anyone ${i}` })).status, 204, `after unlock ${i}`);
  }
});

test('two separate servers on one directory (as two machines on network storage) share locks and properties', { timeout: 60_000 }, async () => {
  const other = await startCli(['--directory', dir]);
  try {
    const a = (...args) => dav(server.port, ...args);
    const b = (...args) => dav(other.port, ...args);
    const lock = await a('LOCK', '/files/two.txt', { body: LOCKINFO });
    assert.equal(lock.status, 201);
    const token = lock.headers['lock-token'];
    assert.equal((await b('PUT', '/files/two.txt', { body: 'b without token' })).status, 423);
    assert.equal((await b('LOCK', '/files/two.txt', { body: LOCKINFO })).status, 423);
    assert.equal((await b('PUT', '/files/two.txt', { headers: { If: `(${token})` }, body: 'b with token' })).status, 204);
    const patched = await b('PROPPATCH', '/files/two.txt', {
      headers: { If: `(${token})` },
      body: '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><m xmlns="urn:m">from b</m></D:prop></D:set></D:propertyupdate>',
    });
    assert.equal(patched.status, 207);
    const found = await a('PROPFIND', '/files/two.txt', { headers: { Depth: '0' }, body: '<propfind xmlns="DAV:"><prop><m xmlns="urn:m"/></prop></propfind>' });
    assert.equal((await readMultistatus(found.body))['/files/two.txt']['{urn:m}m'].text, 'from b');
    assert.equal((await b('UNLOCK', '/files/two.txt', { headers: { 'Lock-Token': token } })).status, 204);
    assert.equal((await a('PUT', '/files/two.txt', { body: 'a, unlocked' })).status, 204);
  } finally {
    await other.stop();
  }
});
